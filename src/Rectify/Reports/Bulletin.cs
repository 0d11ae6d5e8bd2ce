using System.Globalization;
using System.Text;
using Marten;
using Rectify.Infrastructure;
using Rectify.ReferenceData;
using Rectify.Statistics;
using Wolverine.Http;

namespace Rectify.Reports;

/// <summary>通报: the headline figures as a district newspaper prints them, in Markdown.</summary>
public static class Bulletin
{
    [WolverineGet("/api/v1/reports/bulletin")]
    public static async Task<IResult> Get(string? asOf, HttpContext http, IQuerySession session, DistrictReferenceData references, TimeProvider clock)
    {
        var errors = new Dictionary<string, string[]>();
        var moment = StatisticsEndpoints.ParseAsOf(asOf, clock, errors);
        if (errors.Count > 0) return Problems.Invalid(errors);

        var figures = await StatisticsEndpoints.Figures(session, references, moment, null, null, null, http.RequestAborted);
        var rankings = await StatisticsEndpoints.RankingsAsOf(session, references, moment, http.RequestAborted);
        return TypedResults.Text(Write(references.District.Name, figures, rankings), "text/markdown; charset=utf-8");
    }

    public static string Write(string district, CampaignFigures f, Rankings rankings)
    {
        var day = Calendar.WorkingCalendar.ShanghaiDate(f.AsOf);
        var text = new StringBuilder();
        text.AppendLine($"# {district}联系服务群众入户走访活动情况通报").AppendLine();
        text.AppendLine($"截至{day.Year}年{day.Month}月{day.Day}日，全区已入户走访{f.HouseholdsVisited}户，入户率{Percent(f.CoverageRate)}，" +
                        $"收集问题诉求{f.Ledger}个，已办结{f.Closed}个（其中解决{f.ClosedResolved}个、解释说明{f.ClosedExplained}个），" +
                        $"正在协调解决{f.InProgress}个，另有当场协调解决问题{f.ResolvedOnSpot}个。" +
                        $"发放宣传彩页{(f.Leaflets / 10000m).ToString("0.00", CultureInfo.InvariantCulture)}万份，建立社情民意微信群{f.WechatGroups}个，" +
                        $"群内宣传惠民政策{f.PolicyPosts}条，实时办结群内反馈问题{f.ResolvedInGroups}件。");
        text.AppendLine();
        text.AppendLine($"按时办结率{Percent(f.OnTimeRate)}，办结率{Percent(f.ResolutionRate)}，群众满意率{Percent(f.SatisfactionRate)}；" +
                        $"目前超期问题{f.Overdue}个。").AppendLine();
        text.AppendLine("## 各镇街办结情况").AppendLine();
        text.AppendLine("| 排名 | 镇街 | 问题诉求 | 已办结 | 办结率 | 按时办结率 | 群众满意率 |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
        foreach (var t in rankings.Towns)
            text.AppendLine($"| {t.ResolutionRank} | {t.Name} | {t.Ledger} | {t.Closed} | {Percent(t.ResolutionRate)} | {Percent(t.OnTimeRate)} | {Percent(t.SatisfactionRate)} |");
        return text.ToString();
    }

    private static string Percent(decimal? rate) => rate is { } r ? $"{r.ToString("0.#", CultureInfo.InvariantCulture)}%" : "—";
}
