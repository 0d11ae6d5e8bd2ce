using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Rectify.Audit;

/// <summary>
/// The canonical form of a chained event, computed here independently of the database's function (docs/audit.md):
/// UTF-8 of eight lines joined by LF, no trailing LF: the form's name, the previous hash (64 zeros for a stream's
/// first event), the stream id, the version, the stored type name, the domain time (the data's occurredAt string),
/// the actor (the data's actor in PostgreSQL's jsonb text form) and the data (jsonb text form). The hash is the
/// lowercase hex SHA-256 of those bytes.
/// </summary>
public static class ChainHash
{
    public const string Form = "rectify-event-chain-v1";
    public static readonly string Genesis = new('0', 64);

    public static string Of(string previous, Guid streamId, long version, string type, string? occurredAt, string? actor, string data)
    {
        var text = string.Join('\n', Form, previous, streamId.ToString("D"), version.ToString(CultureInfo.InvariantCulture), type,
            occurredAt ?? "", actor ?? "", data);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    public static string Of(ChainedEvent e) => Of(e.PreviousHash ?? "", e.StreamId, e.Version, e.Type, e.OccurredAt, e.Actor, e.Data);
}

/// <summary>
/// One event with what its hash covers, as stored (or as exported): position and stored time are carried for the
/// reader and are not hashed. PreviousHash and Hash are null where the database holds no chain row for the event.
/// </summary>
public sealed record ChainedEvent(Guid StreamId, long Position, long Version, string Type, DateTimeOffset StoredAt,
    string? OccurredAt, string? Actor, string Data, string? PreviousHash, string? Hash)
{
    /// <summary>mt_events.is_archived as stored (read from the database only; an export carries no such flag).</summary>
    public bool Archived { get; init; }

    /// <summary>The stored time the chain row recorded when the event was appended (database only): a later change of mt_events.timestamp shows against it.</summary>
    public DateTimeOffset? ChainedStoredAt { get; init; }
}

/// <summary>The first entry of a stream whose stored hash is not the one its content and predecessor give.</summary>
public sealed record BrokenEntry(Guid IssueId, long Version, long Position, string Problem, string Expected, string? Found);

public static class ChainCheck
{
    /// <summary>
    /// Walks one stream's events in version order, recomputing each hash from the previous one; the first entry whose
    /// stored previous hash or hash differs (or that is missing, or out of sequence) is the broken one.
    /// </summary>
    public static BrokenEntry? FirstBroken(IReadOnlyList<ChainedEvent> stream)
    {
        var previous = Genesis;
        long expectedVersion = 1;
        foreach (var e in stream)
        {
            if (e.Version != expectedVersion)
                return new BrokenEntry(e.StreamId, e.Version, e.Position, "version out of sequence", expectedVersion.ToString(CultureInfo.InvariantCulture),
                    e.Version.ToString(CultureInfo.InvariantCulture));
            if (e.Hash is null)
                return new BrokenEntry(e.StreamId, e.Version, e.Position, NoChainEntry, ChainHash.Of(previous, e.StreamId, e.Version, e.Type, e.OccurredAt, e.Actor, e.Data), null);
            if (e.PreviousHash != previous)
                return new BrokenEntry(e.StreamId, e.Version, e.Position, "previous hash differs", previous, e.PreviousHash);
            var expected = ChainHash.Of(previous, e.StreamId, e.Version, e.Type, e.OccurredAt, e.Actor, e.Data);
            if (expected != e.Hash)
                return new BrokenEntry(e.StreamId, e.Version, e.Position, "hash differs from the event's content", expected, e.Hash);
            // Neither flag nor stored time is hashed (an upgrade must not change hashes), so they are checked against what Rectify ever writes.
            if (e.Archived)
                return new BrokenEntry(e.StreamId, e.Version, e.Position, "archived: Rectify never archives", "not archived", "archived");
            if (e.ChainedStoredAt is { } chained && chained != e.StoredAt)
                return new BrokenEntry(e.StreamId, e.Version, e.Position, "stored time changed", Moment(chained), Moment(e.StoredAt));
            previous = e.Hash;
            expectedVersion++;
        }
        return null;
    }

    public const string NoChainEntry = "no chain entry for this event: run audit backfill";

    private static string Moment(DateTimeOffset moment) => moment.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static string Genesis => ChainHash.Genesis;
}
