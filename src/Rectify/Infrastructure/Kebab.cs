using System.Text.Json;

namespace Rectify.Infrastructure;

/// <summary>Enum values on the wire are kebab-case ("in-progress"), as the HTTP contract spells them.</summary>
public static class Kebab
{
    public static string Of<T>(T value) where T : struct, Enum =>
        JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
}
