using Rectify.Issues;
using Rectify.Querying;
using Rectify.ReferenceData;
using static Rectify.Querying.Exports;

namespace Rectify.Ledgers;

/// <summary>Ledgers as spreadsheets (入户走访问题台账): their rows, totals and a visitor's day, in the columns the offices use.</summary>
public static class LedgerSheets
{
    public static readonly string[] LedgerParts = ["items", "totals"];
    public static readonly string[] DepartmentParts = ["items", "totals", "formerly-held"];
    public static readonly string[] VisitorParts = ["visits", "issues", "totals"];

    /// <summary>A ledger: its rows (问题台账) and its totals (合计), one row per scope named.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.FileContentHttpResult File(string name, IReadOnlyList<LedgerRow> rows, IReadOnlyList<(string Scope, LedgerTotals Totals)> totals, Export export) =>
        Exports.File(name, [new Sheet("items", "问题台账", LedgerColumns, Rows(rows)), new Sheet("totals", "合计", TotalsColumns, Rows(totals))], export);

    /// <summary>A department's ledger: what it holds, its totals, and the issues it handed on (曾办理已转出), apart.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.FileContentHttpResult File(string name, IReadOnlyList<LedgerRow> rows, IReadOnlyList<(string Scope, LedgerTotals Totals)> totals,
        IReadOnlyList<LedgerRow> formerlyHeld, Export export) =>
        Exports.File(name, [new Sheet("items", "问题台账", LedgerColumns, Rows(rows)), new Sheet("totals", "合计", TotalsColumns, Rows(totals)),
            new Sheet("formerly-held", "曾办理已转出", LedgerColumns, Rows(formerlyHeld))], export);

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
}
