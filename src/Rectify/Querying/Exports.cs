using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using MiniExcelLibs;
using MiniExcelLibs.Attributes;
using MiniExcelLibs.OpenXml;
using Rectify.Infrastructure;

namespace Rectify.Querying;

public enum ExportFormat { Json, Csv, Xlsx }

/// <summary>What a reader asked for: JSON, an XLSX workbook with every part of the answer, or one part as CSV.</summary>
public sealed record Export(ExportFormat Format, string? Part)
{
    public bool IsJson => Format == ExportFormat.Json;
}

/// <summary>A rate in a report: a percentage with one decimal (86.3), written 86.3% in CSV and as the percent cell 0.863 (0.0%) in XLSX.</summary>
public readonly record struct Percent(decimal Value);

/// <summary>One part of an answer (a ledger's rows, its totals): a sheet of the workbook, or a CSV file of its own.</summary>
public sealed record Sheet(string Part, string Name, IReadOnlyList<string> Columns, IReadOnlyList<IDictionary<string, object?>> Rows);

/// <summary>
/// Answers as spreadsheets with Chinese column headers (报表); each area builds its own sheets (LedgerSheets, StatisticsSheets). CSV is UTF-8
/// with a byte-order mark so that Excel opens Chinese text correctly; XLSX is written by MiniExcel. A workbook holds
/// every part of the answer, a sheet each; a CSV file holds one part, the first unless part= names another.
/// </summary>
public static class Exports
{
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    // The other media types the API document names for the exports (format=csv; the bulletin's markdown and html).
    public const string CsvType = "text/csv", MarkdownType = "text/markdown", HtmlType = "text/html";

    /// <summary>format (json, csv, xlsx; empty means json) and part (one of <paramref name="parts"/>, for CSV only).</summary>
    public static Export Parse(string? format, string? part, IReadOnlyList<string> parts, IDictionary<string, string[]> errors)
    {
        var wanted = Filters.Given(format) switch
        {
            null or "json" => ExportFormat.Json,
            "csv" => ExportFormat.Csv,
            "xlsx" => ExportFormat.Xlsx,
            _ => (ExportFormat?)null
        };
        if (wanted is null) errors["format"] = ["Must be json, csv or xlsx."];
        part = Filters.Given(part);
        if (part is not null && !parts.Contains(part)) errors["part"] = [$"Must be one of: {string.Join(", ", parts)}."];
        else if (part is not null && wanted != ExportFormat.Csv) errors["part"] = ["Applies to format=csv only; an XLSX workbook holds every part."];
        return new Export(wanted ?? ExportFormat.Json, part);
    }

    /// <summary>For the lists that have no spreadsheet (coverage, WeChat groups): a format other than json is refused, not ignored.</summary>
    public static void JsonOnly(string? format, IDictionary<string, string[]> errors)
    {
        if (Filters.Given(format) is { } given && given != "json") errors["format"] = ["This list is served as json only."];
    }

    /// <summary>The sheets as a workbook, or the part asked for as CSV; an empty part is still its header row.</summary>
    public static FileContentHttpResult File(string name, IReadOnlyList<Sheet> sheets, Export export)
    {
        using var stream = new MemoryStream();
        if (export.Format == ExportFormat.Xlsx)
        {
            var workbook = new Dictionary<string, object>();
            foreach (var sheet in sheets)
            {
                var table = new System.Data.DataTable(sheet.Name);
                foreach (var column in sheet.Columns) table.Columns.Add(column, typeof(object));
                // Typed cells, so that a spreadsheet sums and sorts them: numbers as numbers, dates as dates, rates as
                // percent. Text goes in as text cells (no formula element), so it is written as it is.
                foreach (var row in sheet.Rows) table.Rows.Add(sheet.Columns.Select(c => Cell(row[c])).ToArray());
                workbook[sheet.Name] = table;
            }
            MiniExcel.SaveAs(stream, workbook, configuration: new OpenXmlConfiguration { DynamicColumns = ColumnFormats(sheets) });
            return TypedResults.File(stream.ToArray(), XlsxType, $"{name}.xlsx");
        }

        var part = sheets.First(s => export.Part is null || s.Part == export.Part);
        stream.Write(Encoding.UTF8.GetPreamble());
        stream.Write(Encoding.UTF8.GetBytes(Csv(part.Columns, part.Rows)));
        return TypedResults.File(stream.ToArray(), "text/csv; charset=utf-8", part == sheets[0] ? $"{name}.csv" : $"{name}-{part.Part}.csv");
    }

    /// <summary>A scope read with knownAt says so: the figures are those stored by that moment (Asia/Shanghai time).</summary>
    public static string Known(string scope, DateTimeOffset? knownAt) =>
        knownAt is { } known ? $"{scope}（录入截至 {known.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}）" : scope;

    private static string Csv(IReadOnlyList<string> columns, IReadOnlyList<IDictionary<string, object?>> rows)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', columns.Select(Quote)).Append("\r\n");
        foreach (var row in rows) text.AppendJoin(',', columns.Select(c => Quote(CsvCell(row[c])))).Append("\r\n");
        return text.ToString();
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        DateTimeOffset at => at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Percent rate => $"{rate.Value.ToString("0.0", CultureInfo.InvariantCulture)}%",
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""
    };

    /// <summary>A value as a workbook cell: moments in Asia/Shanghai time, rates as the fraction a percent cell holds.</summary>
    private static object Cell(object? value) => value switch
    {
        null => DBNull.Value,
        DateTimeOffset at => at.ToOffset(TimeSpan.FromHours(8)).DateTime,
        DateOnly date => date.ToDateTime(TimeOnly.MinValue),
        Percent rate => rate.Value / 100m,
        _ => value
    };

    /// <summary>
    /// How a column's cells are shown: a column that holds only moments, only dates or only rates gets their format
    /// (a column of mixed values, such as the statistics' 数值, keeps each type's default).
    /// </summary>
    private static DynamicExcelColumn[] ColumnFormats(IReadOnlyList<Sheet> sheets) => sheets
        .SelectMany(s => s.Columns.Select(c => (Column: c, Values: s.Rows.Select(r => r[c]).Where(v => v is not null).ToList())))
        .GroupBy(c => c.Column, c => c.Values)
        .Select(g => (Column: g.Key, Types: g.SelectMany(v => v).Select(v => v!.GetType()).Distinct().ToList()))
        .Where(c => c.Types.Count == 1 && FormatOf(c.Types[0]) is not null)
        .Select(c => new DynamicExcelColumn(c.Column) { Format = FormatOf(c.Types[0]) })
        .ToArray();

    private static string? FormatOf(Type type) =>
        type == typeof(DateTimeOffset) ? "yyyy-mm-dd hh:mm" : type == typeof(DateOnly) ? "yyyy-mm-dd" : type == typeof(Percent) ? "0.0%" : null;

    private static string CsvCell(object? value) => value is string text ? Neutralised(text) : Format(value);

    /// <summary>
    /// A spreadsheet opening a CSV runs a field that begins with = + - @ (or a tab or carriage return) as a formula,
    /// so a resident's description could carry one into an official's Excel; a leading quote keeps it text.
    /// </summary>
    private static string Neutralised(string text) => text.Length > 0 && "=+-@\t\r".Contains(text[0]) ? "'" + text : text;

    private static string Quote(string text) =>
        text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{text.Replace("\"", "\"\"")}\"" : text;

    public static IDictionary<string, object?> Row(params (string Column, object? Value)[] cells) => cells.ToDictionary(c => c.Column, c => c.Value);

    /// <summary>A rate as a report cell: written 86.3% in CSV and as a percent cell in XLSX.</summary>
    public static Percent? Rate(decimal? rate) => rate is { } r ? new Percent(r) : null;
}
