using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using MiniExcelLibs;
using MiniExcelLibs.Attributes;
using MiniExcelLibs.OpenXml;
using Rectify.Infrastructure;
using Rectify.Issues;
using Rectify.Ledgers;
using Rectify.ReferenceData;
using Rectify.Statistics;

namespace Rectify.Reports;

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
/// Ledgers, search results, statistics and rankings as spreadsheets with Chinese column headers (报表). CSV is UTF-8
/// with a byte-order mark so that Excel opens Chinese text correctly; XLSX is written by MiniExcel. A workbook holds
/// every part of the answer, a sheet each; a CSV file holds one part, the first unless part= names another.
/// </summary>
public static class Exports
{
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    // The other media types the API document names for the exports (format=csv; the bulletin's markdown and html).
    public const string CsvType = "text/csv", MarkdownType = "text/markdown", HtmlType = "text/html";

    public static readonly string[] LedgerParts = ["items", "totals"];
    public static readonly string[] DepartmentParts = ["items", "totals", "formerly-held"];
    public static readonly string[] VisitorParts = ["visits", "issues", "totals"];
    public static readonly string[] RankingParts = ["towns", "departments"];
    public static readonly string[] StatisticsParts = ["figures"];

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

    /// <summary>A ledger: its rows (问题台账) and its totals (合计), one row per scope named.</summary>
    public static FileContentHttpResult File(string name, IReadOnlyList<LedgerRow> rows, IReadOnlyList<(string Scope, LedgerTotals Totals)> totals, Export export) =>
        File(name, [new Sheet("items", "问题台账", LedgerColumns, Rows(rows)), new Sheet("totals", "合计", TotalsColumns, Rows(totals))], export);

    /// <summary>A department's ledger: what it holds, its totals, and the issues it handed on (曾办理已转出), apart.</summary>
    public static FileContentHttpResult File(string name, IReadOnlyList<LedgerRow> rows, IReadOnlyList<(string Scope, LedgerTotals Totals)> totals,
        IReadOnlyList<LedgerRow> formerlyHeld, Export export) =>
        File(name, [new Sheet("items", "问题台账", LedgerColumns, Rows(rows)), new Sheet("totals", "合计", TotalsColumns, Rows(totals)),
            new Sheet("formerly-held", "曾办理已转出", LedgerColumns, Rows(formerlyHeld))], export);

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

    private static readonly Dictionary<IssueStatus, string> StatusNames = new()
    {
        [IssueStatus.Collected] = "待分办", [IssueStatus.ResolvedOnSpot] = "当场解决", [IssueStatus.Assigned] = "已分办",
        [IssueStatus.InProgress] = "办理中", [IssueStatus.Escalated] = "已转办", [IssueStatus.Resolved] = "已解决",
        [IssueStatus.Explained] = "已解释说明", [IssueStatus.Closed] = "已办结"
    };

    private static readonly Dictionary<Satisfaction, string> SatisfactionNames = new()
    {
        [Satisfaction.Satisfied] = "满意", [Satisfaction.BasicallySatisfied] = "基本满意",
        [Satisfaction.Dissatisfied] = "不满意", [Satisfaction.Unreachable] = "联系不上"
    };

    private static readonly Dictionary<Channel, string> ChannelNames = new()
    {
        [Channel.Visit] = "入户走访", [Channel.WechatGroup] = "微信群", [Channel.Hotline] = "热线"
    };

    public static readonly string[] LedgerColumns =
    [
        "问题编号", "收集时间", "镇街", "村居", "网格", "问题类别", "问题描述", "地址", "来源渠道", "走访人员", "办理状态", "责任单位",
        "整改措施", "责任科室", "责任人", "整改时限", "是否超期", "办理结果", "群众满意度", "办结日期", "镇街编码", "村居编码", "网格编码", "责任单位编码"
    ];

    public static readonly string[] VisitColumns = ["走访时间", "镇街", "村居", "网格", "户号", "是否有人在家", "发放彩页", "收集问题", "镇街编码", "村居编码", "网格编码"];

    public static readonly string[] VisitorTotalsColumns = ["走访人员", "日期", "走访次数", "走访户数", "发放彩页", "收集问题"];

    public static readonly string[] TotalsColumns = ["范围", "收集问题", "台账问题", "已办结", "正在协调解决", "当场协调解决", "群内办结", "超期"];

    public static readonly string[] RankingColumns =
        ["编码", "名称", "台账问题", "已办结", "按时办结率(%)", "办结率(%)", "群众满意率(%)", "按时办结率排名", "办结率排名", "群众满意率排名"];

    private static IDictionary<string, object?> Row(params (string Column, object? Value)[] cells) => cells.ToDictionary(c => c.Column, c => c.Value);

    /// <summary>A visitor's day: its visits (走访记录), the issues collected (收集问题) and the day's totals (合计).</summary>
    public static IReadOnlyList<Sheet> VisitorDay(VisitorLedger day, DistrictReferenceData references) =>
    [
        new("visits", "走访记录", VisitColumns, day.VisitRows.Select(v => Row(
            ("走访时间", v.OccurredAt), ("镇街", references.FindTown(v.TownId)?.Name ?? v.TownId),
            ("村居", references.FindCommunity(v.CommunityId)?.Community.Name ?? v.CommunityId), ("网格", references.FindGrid(v.GridId)?.Grid.Name ?? v.GridId),
            ("户号", v.HouseholdId), ("是否有人在家", v.AnyoneHome ? "是" : "否"), ("发放彩页", v.Leaflets), ("收集问题", string.Join(" ", v.IssueIds)),
            ("镇街编码", v.TownId), ("村居编码", v.CommunityId), ("网格编码", v.GridId))).ToList()),
        new("issues", "收集问题", LedgerColumns, Rows(day.Issues)),
        new("totals", "合计", VisitorTotalsColumns,
            [Row(("走访人员", Known(day.VisitorId, day.KnownAt)), ("日期", day.Date), ("走访次数", day.Visits), ("走访户数", day.Households), ("发放彩页", day.Leaflets), ("收集问题", day.Issues.Count))])
    ];

    /// <summary>One ledger row per issue, the columns a 入户走访问题台账 carries: places by name, their codes at the end.</summary>
    public static IReadOnlyList<IDictionary<string, object?>> Rows(IEnumerable<LedgerRow> rows) => rows.Select(r => Row(
        ("问题编号", r.IssueId.ToString()),
        ("收集时间", r.CollectedAt),
        ("镇街", r.TownName),
        ("村居", r.CommunityName),
        ("网格", r.GridName),
        ("问题类别", r.CategoryName),
        ("问题描述", r.Description),
        ("地址", r.Address),
        ("来源渠道", ChannelNames[r.Channel]),
        ("走访人员", r.VisitorId),
        ("办理状态", StatusNames[r.Status]),
        ("责任单位", r.UnitName),
        ("整改措施", r.Measures),
        ("责任科室", r.ResponsibleOffice),
        ("责任人", r.ResponsiblePerson),
        ("整改时限", r.Deadline),
        ("是否超期", r.Overdue ? "是" : "否"),
        ("办理结果", r.Outcome switch { IssueOutcome.Resolved => "解决", IssueOutcome.Explained => "解释说明", _ => null }),
        ("群众满意度", r.Satisfaction is { } s ? SatisfactionNames[s] : null),
        ("办结日期", r.ClosedOn),
        ("镇街编码", r.TownId),
        ("村居编码", r.CommunityId),
        ("网格编码", r.GridId),
        ("责任单位编码", r.UnitId))).ToList();

    public static IReadOnlyList<IDictionary<string, object?>> Rows(IEnumerable<(string Scope, LedgerTotals Totals)> totals) => totals.Select(t => Row(
        ("范围", t.Scope), ("收集问题", t.Totals.Collected), ("台账问题", t.Totals.InLedger), ("已办结", t.Totals.Closed),
        ("正在协调解决", t.Totals.InProgress), ("当场协调解决", t.Totals.ResolvedOnSpot), ("群内办结", t.Totals.ResolvedInGroups), ("超期", t.Totals.Overdue))).ToList();

    /// <summary>考核: the towns (镇街考核) and the departments (部门考核), in rank order.</summary>
    public static IReadOnlyList<Sheet> Rankings(Rankings rankings) =>
    [
        new("towns", "镇街考核", RankingColumns, Rows(rankings.Towns)),
        new("departments", "部门考核", RankingColumns, Rows(rankings.Departments))
    ];

    private static IReadOnlyList<IDictionary<string, object?>> Rows(IEnumerable<RankedUnit> units) => units.Select(u => Row(
        ("编码", u.Id), ("名称", u.Name), ("台账问题", u.Ledger), ("已办结", u.Closed), ("按时办结率(%)", Rate(u.OnTimeRate)), ("办结率(%)", Rate(u.ResolutionRate)),
        ("群众满意率(%)", Rate(u.SatisfactionRate)), ("按时办结率排名", u.OnTimeRank), ("办结率排名", u.ResolutionRank), ("群众满意率排名", u.SatisfactionRank))).ToList();

    private static Percent? Rate(decimal? rate) => rate is { } r ? new Percent(r) : null;

    /// <summary>The statistics as a table: 指标 (figure) and its 数值 (count, or the moment for 统计截至) or 比率 (rate); the scope first.</summary>
    public static readonly string[] FigureColumns = ["指标", "数值", "比率"];

    public static IReadOnlyList<Sheet> Statistics(CampaignFigures f, string scope)
    {
        (string, object?)[] figures =
        [
            ("统计范围", scope), ("统计截至", f.AsOf), ("入户走访户数", f.HouseholdsVisited), ("应走访户数", f.HouseholdsTotal), ("入户率(%)", Rate(f.CoverageRate)),
            ("走访次数", f.Visits), ("发放宣传彩页(份)", f.Leaflets), ("社情民意微信群(个)", f.WechatGroups), ("群内宣传惠民政策(条)", f.PolicyPosts),
            ("群内办结问题(件)", f.ResolvedInGroups), ("台账问题诉求(个)", f.Ledger), ("已办结(个)", f.Closed), ("其中解决(个)", f.ClosedResolved),
            ("其中解释说明(个)", f.ClosedExplained), ("正在协调解决(个)", f.InProgress), ("当场协调解决(个)", f.ResolvedOnSpot), ("超期(个)", f.Overdue),
            ("按时办结率(%)", Rate(f.OnTimeRate)), ("办结率(%)", Rate(f.ResolutionRate)), ("群众满意率(%)", Rate(f.SatisfactionRate))
        ];
        return [new Sheet("figures", "统计", FigureColumns, figures.Select(x => Row(("指标", x.Item1),
            ("数值", x.Item2 is Percent ? null : x.Item2), ("比率", x.Item2 as Percent?))).ToList())];
    }
}
