using System.Globalization;
using System.Text;
using MiniExcelLibs;
using Rectify.Infrastructure;
using Rectify.Issues;
using Rectify.Ledgers;
using Rectify.Statistics;

namespace Rectify.Reports;

public enum ExportFormat { Json, Csv, Xlsx }

/// <summary>
/// Ledgers, search results and statistics as spreadsheets with Chinese column headers (报表). CSV is UTF-8 with a
/// byte-order mark so that Excel opens Chinese text correctly; XLSX is written by MiniExcel.
/// </summary>
public static class Exports
{
    public static ExportFormat Parse(string? format, IDictionary<string, string[]> errors)
    {
        switch (format)
        {
            case null or "json": return ExportFormat.Json;
            case "csv": return ExportFormat.Csv;
            case "xlsx": return ExportFormat.Xlsx;
            default:
                errors["format"] = ["Must be json, csv or xlsx."];
                return ExportFormat.Json;
        }
    }

    /// <summary>A sheet with the given columns; an empty ledger is still a sheet with its header row.</summary>
    public static IResult File(string name, IReadOnlyList<string> columns, IReadOnlyList<IDictionary<string, object?>> rows, ExportFormat format)
    {
        using var stream = new MemoryStream();
        string contentType;
        if (format == ExportFormat.Xlsx)
        {
            var table = new System.Data.DataTable("台账");
            foreach (var column in columns) table.Columns.Add(column, typeof(string));
            foreach (var row in rows) table.Rows.Add(columns.Select(c => (object?)Cell(row[c])).ToArray());
            MiniExcel.SaveAs(stream, table, sheetName: "台账");
            contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        }
        else
        {
            stream.Write(Encoding.UTF8.GetPreamble());
            stream.Write(Encoding.UTF8.GetBytes(Csv(columns, rows)));
            contentType = "text/csv; charset=utf-8";
        }
        return TypedResults.File(stream.ToArray(), contentType, $"{name}.{(format == ExportFormat.Xlsx ? "xlsx" : "csv")}");
    }

    public static IResult File(string name, IReadOnlyList<LedgerRow> rows, ExportFormat format) => File(name, LedgerColumns, Rows(rows), format);

    private static string Csv(IReadOnlyList<string> columns, IReadOnlyList<IDictionary<string, object?>> rows)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', columns.Select(Quote)).Append("\r\n");
        foreach (var row in rows) text.AppendJoin(',', columns.Select(c => Quote(Cell(row[c])))).Append("\r\n");
        return text.ToString();
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        DateTimeOffset at => at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""
    };

    private static string Cell(object? value) => value is string text ? Neutralised(text) : Format(value);

    /// <summary>
    /// Spreadsheets run a text cell that begins with = + - @ (or a tab or carriage return) as a formula, so a
    /// resident's description could carry one into an official's Excel; a leading quote keeps it text.
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
        ["问题编号", "收集时间", "镇街", "村居", "网格", "问题类别", "问题描述", "地址", "来源渠道", "走访人员", "办理状态", "责任单位", "整改时限", "是否超期", "办理结果", "群众满意度", "办结日期"];

    public static readonly string[] VisitColumns = ["走访时间", "镇街", "村居", "网格", "户号", "是否有人在家", "发放彩页", "收集问题"];

    /// <summary>A visitor's day: one row per visit (走访人员个人台账).</summary>
    public static IReadOnlyList<IDictionary<string, object?>> Rows(IEnumerable<VisitRow> visits) => visits.Select(v => (IDictionary<string, object?>)new Dictionary<string, object?>
    {
        ["走访时间"] = v.OccurredAt, ["镇街"] = v.TownId, ["村居"] = v.CommunityId, ["网格"] = v.GridId, ["户号"] = v.HouseholdId,
        ["是否有人在家"] = v.AnyoneHome ? "是" : "否", ["发放彩页"] = v.Leaflets, ["收集问题"] = string.Join(" ", v.IssueIds)
    }).ToList();

    /// <summary>One ledger row per issue, the columns a 入户走访问题台账 carries.</summary>
    public static IReadOnlyList<IDictionary<string, object?>> Rows(IEnumerable<LedgerRow> rows) => rows.Select(r => (IDictionary<string, object?>)new Dictionary<string, object?>
    {
        ["问题编号"] = r.IssueId.ToString(),
        ["收集时间"] = Format(r.CollectedAt),
        ["镇街"] = r.TownId,
        ["村居"] = r.CommunityId,
        ["网格"] = r.GridId,
        ["问题类别"] = r.CategoryName,
        ["问题描述"] = r.Description,
        ["地址"] = r.Address,
        ["来源渠道"] = ChannelNames[r.Channel],
        ["走访人员"] = r.VisitorId,
        ["办理状态"] = StatusNames[r.Status],
        ["责任单位"] = r.UnitName,
        ["整改时限"] = r.Deadline is { } d ? Format(d) : null,
        ["是否超期"] = r.Overdue ? "是" : "否",
        ["办理结果"] = r.Outcome switch { IssueOutcome.Resolved => "解决", IssueOutcome.Explained => "解释说明", _ => null },
        ["群众满意度"] = r.Satisfaction is { } s ? SatisfactionNames[s] : null,
        ["办结日期"] = r.ClosedOn is { } c ? Format(c) : null
    }).ToList();

    /// <summary>The statistics as a two-column table: 指标 (figure) and 数值 (value).</summary>
    public static readonly string[] FigureColumns = ["指标", "数值"];

    public static IReadOnlyList<IDictionary<string, object?>> Rows(CampaignFigures f)
    {
        (string, object?)[] figures =
        [
            ("统计截至", Format(f.AsOf)), ("入户走访户数", f.HouseholdsVisited), ("应走访户数", f.HouseholdsTotal), ("入户率(%)", f.CoverageRate),
            ("走访次数", f.Visits), ("发放宣传彩页(份)", f.Leaflets), ("社情民意微信群(个)", f.WechatGroups), ("群内宣传惠民政策(条)", f.PolicyPosts),
            ("群内办结问题(件)", f.ResolvedInGroups), ("台账问题诉求(个)", f.Ledger), ("已办结(个)", f.Closed), ("其中解决(个)", f.ClosedResolved),
            ("其中解释说明(个)", f.ClosedExplained), ("正在协调解决(个)", f.InProgress), ("当场协调解决(个)", f.ResolvedOnSpot), ("超期(个)", f.Overdue),
            ("按时办结率(%)", f.OnTimeRate), ("办结率(%)", f.ResolutionRate), ("群众满意率(%)", f.SatisfactionRate)
        ];
        return figures.Select(x => (IDictionary<string, object?>)new Dictionary<string, object?> { ["指标"] = x.Item1, ["数值"] = Format(x.Item2) }).ToList();
    }
}
