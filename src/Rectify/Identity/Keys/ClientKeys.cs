namespace Rectify.Identity.Keys;

/// <summary>Register a client with its first key; with <paramref name="Replace"/>, its working keys are revoked first.</summary>
public sealed record RegisterClient(string Name, Role Role, string? TownId, string? DepartmentId, IReadOnlyList<string> AllowedRoutes, bool Replace = false);

/// <summary>What a key change stores: its audit event and the key documents it writes (never the key itself).</summary>
public sealed record KeyChange(object Event, IReadOnlyList<ApiClient> Documents);

/// <summary>A key change, or why not: 404 for an unknown client, 409 naming the client's current state.</summary>
public sealed record KeyDecision(KeyChange? Change, int Status, string? Refusal)
{
    public static KeyDecision Done(object e, params ApiClient[] documents) => new(new KeyChange(e, documents), 200, null);
    public static KeyDecision NotFound(string name) => new(null, 404, $"No client named '{name}'.");
    public static KeyDecision Conflict(string reason) => new(null, 409, reason);
}

/// <summary>
/// The key decisions, pure: (command, the client's stored keys, the new key's hash, who, now) -> event and documents.
/// The caller draws the random key and stores what is decided; keys are looked up by hash, so each key is a document.
/// </summary>
public static class ClientKeys
{
    /// <summary>The longest grace period a rotation may give the old key.</summary>
    public const int MaxGraceHours = 720;

    public static KeyDecision Register(RegisterClient command, IReadOnlyList<ApiClient> keys, string newKeyHash, Actor by, DateTimeOffset now)
    {
        var working = keys.Where(k => k.WorksAt(now)).ToList();
        if (working.Count > 0 && !command.Replace)
            return KeyDecision.Conflict($"A client named '{command.Name}' exists and its key works: rotate or revoke it instead.");

        var revoked = working.Select(k => Copy(k, revokedAt: now)).ToList();
        var key = new ApiClient
        {
            Id = newKeyHash, Name = command.Name, Role = command.Role, TownId = command.TownId, DepartmentId = command.DepartmentId,
            AllowedRoutes = command.AllowedRoutes.ToList(), RegisteredAt = now
        };
        var registered = new ClientRegistered(command.Name, command.Role, command.TownId, command.DepartmentId, command.AllowedRoutes,
            key.KeyId, revoked.Select(k => k.KeyId).ToList(), by, now);
        return KeyDecision.Done(registered, [.. revoked, key]);
    }

    public static KeyDecision Rotate(string name, int graceHours, IReadOnlyList<ApiClient> keys, string newKeyHash, Actor by, DateTimeOffset now)
    {
        if (keys.Count == 0) return KeyDecision.NotFound(name);
        var working = keys.Where(k => k.WorksAt(now)).ToList();
        if (working.Count == 0) return KeyDecision.Conflict(NoWorkingKey(name, keys));
        if (graceHours is < 0 or > MaxGraceHours) throw new ArgumentOutOfRangeException(nameof(graceHours));

        var expiresAt = now.AddHours(graceHours);
        // A key already in an earlier grace period keeps its earlier end: a rotation never lengthens a key's life.
        var expiring = working.Select(k => Copy(k, expiresAt: k.ExpiresAt is { } earlier && earlier < expiresAt ? earlier : expiresAt)).ToList();
        var newest = working.MaxBy(k => k.RegisteredAt)!;
        var key = new ApiClient
        {
            Id = newKeyHash, Name = name, Role = newest.Role, TownId = newest.TownId, DepartmentId = newest.DepartmentId,
            AllowedRoutes = newest.AllowedRoutes.ToList(), RegisteredAt = now
        };
        var rotated = new ClientKeyRotated(name, key.KeyId, expiring.Select(k => k.KeyId).ToList(), graceHours, expiresAt, by, now);
        return KeyDecision.Done(rotated, [.. expiring, key]);
    }

    public static KeyDecision Revoke(string name, IReadOnlyList<ApiClient> keys, Actor by, DateTimeOffset now)
    {
        if (keys.Count == 0) return KeyDecision.NotFound(name);
        var working = keys.Where(k => k.WorksAt(now)).ToList();
        if (working.Count == 0) return KeyDecision.Conflict(NoWorkingKey(name, keys));

        var revoked = working.Select(k => Copy(k, revokedAt: now)).ToList();
        return KeyDecision.Done(new ClientRevoked(name, revoked.Select(k => k.KeyId).ToList(), by, now), [.. revoked]);
    }

    private static string NoWorkingKey(string name, IReadOnlyList<ApiClient> keys) =>
        keys.Max(k => k.RevokedAt) is { } revokedAt
            ? $"Client '{name}' is revoked (since {revokedAt:yyyy-MM-dd HH:mm:ss} UTC): register it again to give it a key."
            : $"Client '{name}' has no working key: register it again to give it a key.";

    private static ApiClient Copy(ApiClient key, DateTimeOffset? revokedAt = null, DateTimeOffset? expiresAt = null) => new()
    {
        Id = key.Id, Name = key.Name, Role = key.Role, TownId = key.TownId, DepartmentId = key.DepartmentId,
        AllowedRoutes = key.AllowedRoutes.ToList(), RegisteredAt = key.RegisteredAt, LastUsedAt = key.LastUsedAt,
        RevokedAt = revokedAt ?? key.RevokedAt, ExpiresAt = expiresAt ?? key.ExpiresAt
    };
}
