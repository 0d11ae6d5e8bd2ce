using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Rectify.Audit;

/// <summary>Reads an export (JSON or CSV, as GET /api/v1/issues/{id}/export gives it) back into chained events.</summary>
public sealed record ExportContent(List<ChainedEvent> Events, bool NamesHead, string? Head);

public static class ExportFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static List<ChainedEvent> Read(string path) => ReadExport(path).Events;

    /// <summary>The events, and the head the export names (JSON only: a CSV's head is its last row).</summary>
    public static ExportContent ReadExport(string path)
    {
        var text = File.ReadAllText(path, Encoding.UTF8).TrimStart('\uFEFF');
        return text.TrimStart().StartsWith('{') ? FromJson(text) : new ExportContent(FromCsv(text), false, null);
    }

    /// <summary>An export whose head is not its last event's hash: events were cut off or the head was edited.</summary>
    public static BrokenEntry? HeadMismatch(ExportContent export)
    {
        if (!export.NamesHead) return null;
        var last = export.Events.Count == 0 ? null : export.Events[^1];
        return last?.Hash == export.Head
            ? null
            : new BrokenEntry(last?.StreamId ?? Guid.Empty, last?.Version ?? 0, last?.Position ?? 0, "the export's head differs from its last event's hash",
                last?.Hash ?? "no events", export.Head);
    }

    private static ExportContent FromJson(string text)
    {
        var export = JsonSerializer.Deserialize<IssueExport>(text, Json) ?? throw new FormatException("The file holds no export.");
        if (export.Events is null || export.Events.Any(e => e is null)) throw new FormatException("The export holds no list of events.");
        return new ExportContent(export.Events.Select(e => e.For(export.IssueId)).ToList(), true, export.Head);
    }

    private static List<ChainedEvent> FromCsv(string text)
    {
        var rows = Rows(text).ToList();
        if (rows.Count == 0 || !rows[0].SequenceEqual(ExportIssueHistoryEndpoint.CsvColumns))
            throw new FormatException($"The first line must name the columns {string.Join(',', ExportIssueHistoryEndpoint.CsvColumns)}.");
        return rows.Skip(1).Select((r, i) => r.Count != ExportIssueHistoryEndpoint.CsvColumns.Length
                ? throw new FormatException($"Line {i + 2} has {r.Count} fields, not {ExportIssueHistoryEndpoint.CsvColumns.Length}.")
                : new ChainedEvent(Guid.Parse(r[0]), long.Parse(r[1], CultureInfo.InvariantCulture), long.Parse(r[2], CultureInfo.InvariantCulture), r[3],
                    DateTimeOffset.Parse(r[4], CultureInfo.InvariantCulture), Empty(r[5]), Empty(r[6]), r[7], Empty(r[8]), Empty(r[9])))
            .ToList();
    }

    private static string? Empty(string field) => field.Length == 0 ? null : field;

    /// <summary>RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks.</summary>
    private static IEnumerable<List<string>> Rows(string text)
    {
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                row.Add(field.ToString()); field.Clear();
                yield return row;
                row = [];
            }
            else field.Append(c);
        }
        if (field.Length > 0 || row.Count > 0) { row.Add(field.ToString()); yield return row; }
    }
}
