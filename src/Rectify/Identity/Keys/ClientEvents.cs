using Rectify.Issues;

namespace Rectify.Identity.Keys;

// The audit record of every key change, one stream per client name. Keys never appear here: only their KeyId
// (the start of the stored hash), which identifies a key without revealing it.

/// <summary>A client was registered with a new key (by the API, or by ops/cli add-client, which may replace old keys).</summary>
public sealed record ClientRegistered(
    string ClientName, Role Role, string? TownId, string? DepartmentId, IReadOnlyList<string> AllowedRoutes,
    string KeyId, IReadOnlyList<string> RevokedKeyIds, Actor Actor, DateTimeOffset OccurredAt);

/// <summary>A client got a new key; its previous keys keep working until <paramref name="PreviousKeysExpireAt"/>.</summary>
public sealed record ClientKeyRotated(
    string ClientName, string KeyId, IReadOnlyList<string> ExpiringKeyIds, int GraceHours, DateTimeOffset PreviousKeysExpireAt,
    Actor Actor, DateTimeOffset OccurredAt);

/// <summary>Every key of the client stopped working at once.</summary>
public sealed record ClientRevoked(string ClientName, IReadOnlyList<string> RevokedKeyIds, Actor Actor, DateTimeOffset OccurredAt);

public static class ClientEventNames
{
    /// <summary>Stable stored names: renaming a class must never orphan history. Never change a value.</summary>
    public static readonly IReadOnlyDictionary<Type, string> All = new Dictionary<Type, string>
    {
        [typeof(ClientRegistered)] = "client_registered.v1",
        [typeof(ClientKeyRotated)] = "client_key_rotated.v1",
        [typeof(ClientRevoked)] = "client_revoked.v1"
    };
}

public static class ClientStream
{
    /// <summary>One stream per client name, its id derived from the name.</summary>
    public static Guid IdOf(string clientName) => ActIds.For(Guid.Empty, 0, "client:" + clientName);
}
