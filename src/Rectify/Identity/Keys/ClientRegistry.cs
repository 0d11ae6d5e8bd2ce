using Marten;
using Rectify.Infrastructure;

namespace Rectify.Identity.Keys;

/// <summary>The seam between the key decisions and the store, shared by the API and ops/cli.</summary>
public static class ClientRegistry
{
    public static async Task<IReadOnlyList<ApiClient>> KeysOf(IQuerySession session, string name, CancellationToken cancellation) =>
        await session.Query<ApiClient>().Where(c => c.Name == name).ToListAsync(cancellation);

    /// <summary>
    /// Queues the change: its event on the client's stream at the version read before deciding (two racing changes of
    /// one client: the second fails with a concurrency error, 409), and its key documents. The caller saves.
    /// </summary>
    public static async Task Queue(IDocumentSession session, string name, KeyChange change, CancellationToken cancellation)
    {
        var stream = ClientStream.IdOf(name);
        var state = await session.Events.FetchStreamStateAsync(stream, cancellation);
        if (state is null) session.Events.StartStream(stream, change.Event);
        else session.Events.Append(stream, state.Version + 1, change.Event);
        foreach (var document in change.Documents) session.Store(document);
    }

    public static async Task<IReadOnlyList<ClientView>> List(IQuerySession session, DateTimeOffset now, CancellationToken cancellation) =>
        (await session.Query<ApiClient>().ToListAsync(cancellation))
        .GroupBy(k => k.Name).Select(g => ClientView.Of(g.ToList(), now)).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
}

/// <summary>A client as listed: its newest key's role and scope, when it was created and last used, and each key.</summary>
public sealed record ClientView(
    string Name, string Status, Role Role, string? TownId, string? DepartmentId, IReadOnlyList<string> AllowedRoutes,
    DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, IReadOnlyList<KeyView> Keys)
{
    public static ClientView Of(IReadOnlyList<ApiClient> keys, DateTimeOffset now)
    {
        var newest = keys.MaxBy(k => k.RegisteredAt)!;
        var works = keys.Any(k => k.WorksAt(now));
        return new ClientView(newest.Name, works ? "active" : "revoked", newest.Role, newest.TownId, newest.DepartmentId, newest.AllowedRoutes,
            keys.Min(k => k.RegisteredAt), keys.Max(k => k.LastUsedAt), works ? null : keys.Max(k => k.RevokedAt ?? k.ExpiresAt),
            keys.OrderBy(k => k.RegisteredAt).Select(k => new KeyView(k.KeyId, k.RegisteredAt, k.LastUsedAt, k.ExpiresAt, k.RevokedAt, k.WorksAt(now))).ToList());
    }

    /// <summary>"town qicun", "department housing", or "district".</summary>
    public string Scope => TownId is not null ? $"town {TownId}" : DepartmentId is not null ? $"department {DepartmentId}" : "district";
}

/// <summary>One key of a client, by its public KeyId (the start of its hash); never the key.</summary>
public sealed record KeyView(string KeyId, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, bool Works);

/// <summary>Who changes keys from the command line: whoever can reach the database, recorded by their OS user name.</summary>
public static class CommandLineActor
{
    public static Actor Current => new($"ops-cli:{Environment.UserName}", Role.Admin, null, null);
}
