using Marten;

namespace Rectify.Identity.Keys;

/// <summary>The key records' wiring in the store: the audit events' stable names.</summary>
public static class ClientsConfiguration
{
    public static void Configure(StoreOptions options)
    {
        foreach (var (type, name) in ClientEventNames.All) options.Events.MapEventType(type, name);
        options.Schema.For<ApiClient>().Index(c => c.Name);
    }
}
