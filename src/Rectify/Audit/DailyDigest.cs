using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure.Requests;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Marten;
using Rectify.Calendar;
using Rectify.Identity;
using Rectify.Infrastructure;
using Wolverine.Http;

namespace Rectify.Audit;

/// <summary>
/// The district's daily digest: one hash over the chain heads of every stream that grew on a day (Asia/Shanghai,
/// by stored time). The head of a stream for the day is its last event stored before the day ended, so a digest
/// never changes once its day is over; an auditor keeps it outside Rectify and recomputes it from the heads.
/// Bytes (docs/audit.md): "rectify-daily-digest-v1\n" + date + "\n", then one line "stream,version,hash\n" per
/// head, ordered by the stream id's lowercase text; the digest is the lowercase hex SHA-256 of their UTF-8.
/// </summary>
public sealed record DailyDigest(DateOnly Date, string TimeZone, DateTimeOffset From, DateTimeOffset To, bool Complete, int Streams,
    string Digest, IReadOnlyList<DigestHead> Heads)
{
    public const string Form = "rectify-daily-digest-v1";

    /// <summary>
    /// How long after the day's end its digest is called complete: the stored time is the service's clock when the
    /// events were appended, not the commit's, so a transaction begun just before midnight can still commit events of
    /// the day a moment after it ended.
    /// </summary>
    public static readonly TimeSpan CompleteAfter = TimeSpan.FromMinutes(5);

    public static string Of(DateOnly date, IEnumerable<DigestHead> heads)
    {
        var text = new StringBuilder().Append(Form).Append('\n').Append(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append('\n');
        foreach (var head in heads.OrderBy(h => h.StreamId.ToString("D"), StringComparer.Ordinal))
            text.Append(head.StreamId.ToString("D")).Append(',').Append(head.Version.ToString(CultureInfo.InvariantCulture)).Append(',').Append(head.Hash).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    public static async Task<DailyDigest> ComputeAsync(IDocumentStore store, DateOnly date, DateTimeOffset now, CancellationToken cancellation)
    {
        var from = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), WorkingCalendar.Shanghai.GetUtcOffset(date.ToDateTime(TimeOnly.MinValue)));
        var to = from.AddDays(1);
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellation);
        await using var command = new Npgsql.NpgsqlCommand($"""
            select distinct on (stream_id) stream_id, version, hash from {EventChainReader.Schema(store)}.{EventChainSchema.Table}
            where stored_at >= @from and stored_at < @to order by stream_id, version desc
            """, connection);
        command.Parameters.AddWithValue("from", from.ToUniversalTime());
        command.Parameters.AddWithValue("to", to.ToUniversalTime());
        var heads = new List<DigestHead>();
        await using (var reader = await command.ExecuteReaderAsync(cancellation))
            while (await reader.ReadAsync(cancellation)) heads.Add(new DigestHead(reader.GetGuid(0), reader.GetInt64(1), reader.GetString(2)));
        heads = heads.OrderBy(h => h.StreamId.ToString("D"), StringComparer.Ordinal).ToList();
        return new DailyDigest(date, "Asia/Shanghai", from, to, now >= to + CompleteAfter, heads.Count, Of(date, heads), heads);
    }
}

public sealed record DigestHead(Guid StreamId, long Version, string Hash);

public static class GetDailyDigestEndpoint
{
    [WolverineGet("/api/v1/audit/digests/{date}")]
    [Tags("Audit"), EndpointSummary("The district's daily digest: one hash over the chain heads of a day")]
    [ProducesResponseType<DailyDigest>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403)]
    public static async Task<IResult> Get(string date, HttpContext http, IDocumentStore store, TimeProvider clock)
    {
        // Who may read it (district roles, listed external systems) is the access table's row (Identity/Access/RouteAccess.cs).
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return Problems.Invalid("date", "The date in the path must be a day as yyyy-MM-dd (Asia/Shanghai).");
        return TypedResults.Ok(await DailyDigest.ComputeAsync(store, day, clock.GetUtcNow(), http.RequestAborted));
    }
}
