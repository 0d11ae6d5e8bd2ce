using Rectify.Querying;
using static Rectify.Querying.Exports;

namespace Rectify.Statistics;

/// <summary>The statistics (统计) and the rankings (考核) as spreadsheets.</summary>
public static class StatisticsSheets
{
    public static readonly string[] RankingParts = ["towns", "departments"];
    public static readonly string[] StatisticsParts = ["figures"];

    public static readonly string[] RankingColumns =
        ["编码", "名称", "台账问题", "已办结", "按时办结率(%)", "办结率(%)", "群众满意率(%)", "按时办结率排名", "办结率排名", "群众满意率排名"];

    /// <summary>考核: the towns (镇街考核) and the departments (部门考核), in rank order.</summary>
    public static IReadOnlyList<Sheet> Rankings(Rankings rankings) =>
    [
        new("towns", "镇街考核", RankingColumns, Rows(rankings.Towns)),
        new("departments", "部门考核", RankingColumns, Rows(rankings.Departments))
    ];

    private static IReadOnlyList<IDictionary<string, object?>> Rows(IEnumerable<RankedUnit> units) => units.Select(u => Row(
        ("编码", u.Id), ("名称", u.Name), ("台账问题", u.Ledger), ("已办结", u.Closed), ("按时办结率(%)", Rate(u.OnTimeRate)), ("办结率(%)", Rate(u.ResolutionRate)),
        ("群众满意率(%)", Rate(u.SatisfactionRate)), ("按时办结率排名", u.OnTimeRank), ("办结率排名", u.ResolutionRank), ("群众满意率排名", u.SatisfactionRank))).ToList();

    /// <summary>The statistics as a table: 指标 (figure) and its 数值 (count, or the moment for 统计截至) or 比率 (rate); the scope first.</summary>
    public static readonly string[] FigureColumns = ["指标", "数值", "比率"];

    public static IReadOnlyList<Sheet> Figures(CampaignFigures f, string scope)
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
