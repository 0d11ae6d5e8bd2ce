using System.Text.Json;
using Marten;

namespace Rectify.Identity.Keys;

/// <summary>
/// "Last used" without a write per request: the key's document, read anyway to authenticate, says when it was last
/// recorded; only when that is a minute or more away from now is it written, by one UPDATE of that one field (so it never
/// overwrites a rotation or revocation stored meanwhile). Stateless, so it holds with several API nodes too.
/// </summary>
public static class KeyUse
{
    public static readonly TimeSpan Resolution = TimeSpan.FromMinutes(1);

    public static bool IsDue(DateTimeOffset? lastUsedAt, DateTimeOffset now) =>
        lastUsedAt is not { } last || (now - last).Duration() >= Resolution;

    public static async Task RecordAsync(IDocumentStore store, ApiClient client, DateTimeOffset now, CancellationToken cancellation)
    {
        if (!IsDue(client.LastUsedAt, now)) return;
        var table = store.Options.Schema.For<ApiClient>(); // the qualified table name
        await using var session = store.LightweightSession();
        session.QueueSqlCommand($"update {table} set data = jsonb_set(data, '{{lastUsedAt}}', ?::jsonb) where id = ?",
            JsonSerializer.Serialize(now), client.Id);
        await session.SaveChangesAsync(cancellation);
    }
}
