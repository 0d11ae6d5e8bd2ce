using System.Text.Json.Nodes;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Marten.Services;
using Npgsql;
using Rectify.Issues;
using Rectify.Ledgers;
using Rectify.Statistics;
using Rectify.Visits;
using Rectify.Visits.Coverage;

namespace Rectify.Audit;

/// <summary>One field where a stored read model and the replay of its events disagree; a whole document missing on one side has field "(document)".</summary>
public sealed record ReplayDifference(string Document, string Id, string Field, string? Stored, string? Replayed)
{
    public const string Absent = "(absent)";
    public override string ToString() => $"{Document} {Id} {Field}: stored {Stored ?? "null"}, replayed {Replayed ?? "null"}";
}

/// <summary>How many documents of one read model were compared, and up to which event position (the async ones up to where the daemon got).</summary>
public sealed record ReplayedModel(string Document, int Stored, int Replayed, long UpToPosition);

public sealed record ReplayReport(IReadOnlyList<ReplayedModel> Models, IReadOnlyList<ReplayDifference> Differences, TimeSpan Took)
{
    public bool Clean => Differences.Count == 0;
}

/// <summary>
/// Do the read models equal the events? Every issue stream is folded again with the current code into the issue snapshot
/// (Issue) and its ledger row (IssueSummary); the visit, group and collection events are applied again with the async
/// projections' own Apply methods into the visitors' daily ledgers (VisitorDay) and the statistics' buckets (TownDay,
/// VisitedHousehold), in memory. Each replayed document is compared field by field with the stored row's JSON. All is
/// read in one repeatable-read transaction, so a command appending meanwhile cannot show as a difference; the async
/// read models are compared up to the position the daemon had reached, since what it has not yet applied is lag, not
/// a difference.
/// </summary>
public static class ReplayCheck
{
    public static readonly string[] AsyncModels = [nameof(VisitorDay), nameof(TownDay), nameof(VisitedHousehold)];

    /// <summary>`ops/cli audit replay-check`: prints the report; true when the read models equal the events.</summary>
    public static async Task<bool> RunAsync(AuditInput input, TextWriter output)
    {
        using var host = input.BuildHost();
        var report = await RunAsync(host.Services.GetRequiredService<IDocumentStore>(), CancellationToken.None);
        Write(report, output, input.LimitFlag);
        return report.Clean;
    }

    public static void Write(ReplayReport report, TextWriter output, int limit = 0)
    {
        foreach (var model in report.Models)
            output.WriteLine($"{model.Document}: {model.Stored:N0} stored, {model.Replayed:N0} replayed (events up to position {model.UpToPosition:N0})");
        var shown = limit > 0 ? report.Differences.Take(limit).ToList() : report.Differences;
        foreach (var difference in shown) output.WriteLine($"DIFFERENCE {difference}");
        if (report.Differences.Count > shown.Count)
            output.WriteLine($"... and {report.Differences.Count - shown.Count:N0} more (--limit 0 prints all)");
        output.WriteLine(report.Clean
            ? $"replay check passed: the read models equal the events ({report.Took.TotalSeconds:F1} s)"
            : $"replay check FAILED: {report.Differences.Count:N0} difference(s) ({report.Took.TotalSeconds:F1} s)");
    }

    public static async Task<ReplayReport> RunAsync(IDocumentStore store, CancellationToken cancellation)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var schema = store.Options.DatabaseSchemaName;
        await using var connection = new NpgsqlConnection(store.Options.Tenancy.Default.Database.CreateConnection().ConnectionString);
        await connection.OpenAsync(cancellation);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellation);
        await using var session = store.QuerySession(Marten.Services.SessionOptions.ForTransaction(transaction));
        var serializer = store.Options.Serializer();

        var models = new List<ReplayedModel>();
        var differences = new List<ReplayDifference>();
        async Task Compare<T>(string document, IReadOnlyDictionary<string, T> replayed, long upTo, string? where = null) where T : notnull
        {
            var stored = await Rows(connection, transaction, $"{schema}.mt_doc_{document.ToLowerInvariant()}", where, cancellation);
            models.Add(new ReplayedModel(document, stored.Count, replayed.Count, upTo));
            foreach (var id in stored.Keys.Union(replayed.Keys).Order(StringComparer.Ordinal))
            {
                var mine = replayed.TryGetValue(id, out var doc) ? JsonNode.Parse(serializer.ToJson(doc)) : null;
                var theirs = stored.TryGetValue(id, out var json) ? JsonNode.Parse(json) : null;
                if (mine is null || theirs is null)
                    differences.Add(new ReplayDifference(document, id, "(document)", theirs is null ? ReplayDifference.Absent : "present",
                        mine is null ? ReplayDifference.Absent : "present"));
                else Diff(theirs, mine, "", (field, s, r) => differences.Add(new ReplayDifference(document, id, field, s, r)));
            }
        }

        // Inline read models: every issue event, folded per stream.
        var issueEvents = await session.Events.QueryAllRawEvents()
            .Where(e => e.EventTypeName.IsOneOf(IssueEventVersions.StoredNames.ToArray()))
            .OrderBy(e => e.Sequence)
            .ToListAsync(cancellation);
        var issues = new Dictionary<string, Issue>();
        var summaries = new Dictionary<string, IssueSummary>();
        var summaryProjection = new IssueSummaryProjection();
        foreach (var stream in issueEvents.GroupBy(e => e.StreamId))
        {
            var ordered = stream.OrderBy(e => e.Version).ToList();
            issues[stream.Key.ToString()] = Issue.Fold(ordered.Select(e => e.Data));
            summaries[stream.Key.ToString()] = ordered.Aggregate((IssueSummary?)null, (s, e) => summaryProjection.Evolve(s, stream.Key, e))!;
        }
        var lastIssueEvent = issueEvents.Count == 0 ? 0 : issueEvents[^1].Sequence;
        await Compare(nameof(Issue), issues, lastIssueEvent);
        await Compare(nameof(IssueSummary), summaries, lastIssueEvent);

        // Async read models: the events they take, up to where the daemon has applied them.
        var reached = await Progress(connection, transaction, schema, cancellation);
        var upTo = AsyncModels.ToDictionary(m => m, m => reached.GetValueOrDefault($"{m}:All"));
        var visitorDays = new Dictionary<string, VisitorDay>();
        var townDays = new Dictionary<string, TownDay>();
        var households = new Dictionary<string, VisitedHousehold>();
        var (visitorProjection, townProjection, householdProjection) =
            (new VisitorDayProjection(), new TownDayProjection(), new VisitedHouseholdProjection());
        Type[] types = [typeof(HouseholdVisited), typeof(WechatGroupRegistered), typeof(PolicyPosted), typeof(IssueCollected)];
        var furthest = upTo.Values.DefaultIfEmpty(0).Max();
        var events = session.Events.QueryAllRawEvents()
            .Where(e => e.EventTypesAre(types) && e.Sequence <= furthest)
            .OrderBy(e => e.Sequence)
            .ToAsyncEnumerable(cancellation);
        await foreach (var e in events)
        {
            bool Until(string model) => e.Sequence <= upTo[model];
            switch (e.Data)
            {
                case HouseholdVisited visit:
                    if (Until(nameof(VisitorDay))) visitorProjection.Apply(Get(visitorDays, VisitorDay.Key(visit.VisitorId, visit.OccurredAt)), visit);
                    if (Until(nameof(TownDay))) townProjection.Apply(Get(townDays, TownDay.Key(visit.TownId, visit.OccurredAt)), visit);
                    if (Until(nameof(VisitedHousehold)))
                        householdProjection.Apply(Get(households, VisitedHousehold.Key(visit.GridId, visit.HouseholdId)), visit);
                    break;
                case IssueCollected collected when Until(nameof(VisitorDay)):
                    visitorProjection.Apply(Get(visitorDays, VisitorDay.Key(collected.VisitorId, collected.OccurredAt)), collected);
                    break;
                case WechatGroupRegistered group when Until(nameof(TownDay)):
                    townProjection.Apply(Get(townDays, TownDay.Key(group.TownId, group.OccurredAt)), group);
                    break;
                case PolicyPosted posted when Until(nameof(TownDay)):
                    townProjection.Apply(Get(townDays, TownDay.Key(posted.TownId, posted.OccurredAt)), posted);
                    break;
            }
        }
        await Compare(nameof(VisitorDay), visitorDays, upTo[nameof(VisitorDay)]);
        await Compare(nameof(TownDay), townDays, upTo[nameof(TownDay)]);
        await Compare(nameof(VisitedHousehold), households, upTo[nameof(VisitedHousehold)]);

        await transaction.RollbackAsync(cancellation);
        return new ReplayReport(models, differences, watch.Elapsed);
    }

    private static T Get<T>(Dictionary<string, T> documents, string id) where T : new()
    {
        if (!documents.TryGetValue(id, out var document)) documents[id] = document = new T();
        return document;
    }

    private static async Task<Dictionary<string, string>> Rows(NpgsqlConnection connection, NpgsqlTransaction transaction, string table,
        string? where, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand($"select id::text, data::text from {table} {where}", connection, transaction);
        var rows = new Dictionary<string, string>();
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation)) rows[reader.GetString(0)] = reader.GetString(1);
        return rows;
    }

    private static async Task<Dictionary<string, long>> Progress(NpgsqlConnection connection, NpgsqlTransaction transaction, string schema,
        CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand($"select name, last_seq_id from {schema}.mt_event_progression", connection, transaction);
        var progress = new Dictionary<string, long>();
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation)) progress[reader.GetString(0)] = reader.GetInt64(1);
        return progress;
    }

    /// <summary>
    /// Field-by-field comparison of two JSON trees: a missing property equals null (a field added since the row was
    /// written), numbers compare by value, arrays element by element (a length difference is reported on "length").
    /// </summary>
    public static void Diff(JsonNode? stored, JsonNode? replayed, string path, Action<string, string?, string?> report)
    {
        switch (stored, replayed)
        {
            case (null, null):
                return;
            case (JsonObject s, JsonObject r):
                foreach (var name in s.Select(p => p.Key).Union(r.Select(p => p.Key)))
                    Diff(s[name], r[name], path.Length == 0 ? name : $"{path}.{name}", report);
                return;
            case (JsonArray s, JsonArray r):
                if (s.Count != r.Count) report($"{path}.length", s.Count.ToString(), r.Count.ToString());
                for (var i = 0; i < Math.Min(s.Count, r.Count); i++) Diff(s[i], r[i], $"{path}[{i}]", report);
                return;
            case (JsonValue s, JsonValue r) when s.GetValueKind() == System.Text.Json.JsonValueKind.Number
                                                && r.GetValueKind() == System.Text.Json.JsonValueKind.Number:
                if (decimal.Parse(s.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture)
                    != decimal.Parse(r.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture))
                    report(path, s.ToJsonString(), r.ToJsonString());
                return;
            default:
                if (!JsonNode.DeepEquals(stored, replayed)) report(path, stored?.ToJsonString(), replayed?.ToJsonString());
                return;
        }
    }
}
