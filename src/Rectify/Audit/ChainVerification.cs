using System.Diagnostics;
using Marten;

namespace Rectify.Audit;

/// <summary>`audit verify`: an export file on its own, or the database's events against their chain rows.</summary>
public static class ChainVerification
{
    public static async Task<bool> RunAsync(AuditInput input, TextWriter output)
    {
        var watch = Stopwatch.StartNew();
        if (input.FileFlag.Length > 0)
        {
            if (!File.Exists(input.FileFlag))
            {
                output.WriteLine($"No export file at {input.FileFlag}.");
                return false;
            }
            ExportContent export;
            try
            {
                export = ExportFile.ReadExport(input.FileFlag);
            }
            catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or ArgumentException or OverflowException or InvalidOperationException)
            {
                // A damaged or foreign file is a finding for the auditor, not a crash: one line, and verify fails.
                output.WriteLine($"The file {input.FileFlag} is no readable export: {e.Message}");
                return false;
            }
            var events = export.Events;
            var streams = events.GroupBy(e => e.StreamId).ToList();
            var brokenInFile = streams.Select(s => ChainCheck.FirstBroken(s.ToList())).OfType<BrokenEntry>().ToList();
            if (brokenInFile.Count == 0 && ExportFile.HeadMismatch(export) is { } mismatch) brokenInFile.Add(mismatch);
            var ok = Report(output, brokenInFile, events.Count, streams.Count, $"the file {input.FileFlag}", watch);
            // The head to compare with the kept daily digest (or an earlier export): the file alone cannot show a cut-off end.
            if (ok && events.Count > 0)
                output.WriteLine($"head: stream {events[^1].StreamId} version {events[^1].Version} hash {events[^1].Hash}");
            return ok;
        }

        Guid? issue = null;
        if (input.IssueFlag.Length > 0)
        {
            if (!Guid.TryParse(input.IssueFlag, out var id))
            {
                output.WriteLine($"--issue must be an issue id (a UUID), not '{input.IssueFlag}'.");
                return false;
            }
            issue = id;
        }

        using var host = input.BuildHost();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var (broken, count, streamCount) = await VerifyDatabaseAsync(store, issue, CancellationToken.None);
        return Report(output, broken, count, streamCount, issue is null ? "the database" : $"issue {issue} in the database", watch);
    }

    /// <summary>The first broken entry of every stream (and every chain row whose event is gone), in position order.</summary>
    public static async Task<(List<BrokenEntry> Broken, int Events, int Streams)> VerifyDatabaseAsync(IDocumentStore store, Guid? streamId, CancellationToken cancellation)
    {
        var broken = new List<BrokenEntry>();
        var stream = new List<ChainedEvent>();
        int events = 0, streams = 0;
        await foreach (var e in EventChainReader.ReadAsync(store, streamId, cancellation))
        {
            if (stream.Count > 0 && stream[0].StreamId != e.StreamId) Check();
            stream.Add(e);
            events++;
        }
        Check();
        broken.AddRange(await EventChainReader.OrphansAsync(store, streamId, cancellation));
        broken.AddRange((await EventChainReader.TruncatedAsync(store, streamId, cancellation)).Where(t => broken.All(b => b.IssueId != t.IssueId)));
        return (broken.OrderBy(b => b.Position).ToList(), events, streams);

        void Check()
        {
            if (stream.Count == 0) return;
            streams++;
            if (ChainCheck.FirstBroken(stream) is { } first) broken.Add(first);
            stream.Clear();
        }
    }

    private static bool Report(TextWriter output, List<BrokenEntry> broken, int events, int streams, string what, Stopwatch watch)
    {
        foreach (var b in broken.OrderBy(b => b.Position))
            output.WriteLine($"BROKEN stream {b.IssueId} version {b.Version} position {b.Position}: {b.Problem}; expected {b.Expected}, found {b.Found ?? "nothing"}");
        output.WriteLine(broken.Count == 0
            ? $"OK: {events:N0} events in {streams:N0} streams of {what} verified in {watch.Elapsed.TotalSeconds:F1} s"
            : $"BROKEN: {broken.Count:N0} of {streams:N0} streams of {what} fail ({events:N0} events read, {watch.Elapsed.TotalSeconds:F1} s); the first broken entry: stream {broken[0].IssueId} version {broken[0].Version}");
        return broken.Count == 0;
    }
}
