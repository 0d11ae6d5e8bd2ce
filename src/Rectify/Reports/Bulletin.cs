using Rectify.Querying;
using System.Globalization;
using System.Net;
using System.Text;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure;
using Rectify.Ledgers;
using Rectify.ReferenceData;
using Rectify.Statistics;
using Rectify.Infrastructure.Requests;
using Wolverine.Http;

namespace Rectify.Reports;

/// <summary>通报: the headline figures as a district newspaper prints them, in Markdown (default) or HTML.</summary>
public static class Bulletin
{
    [WolverineGet("/api/v1/reports/bulletin")]
    [EndpointSummary("通报: the headline figures and rankings as a district newspaper prints them, in Markdown (default) or HTML")]
    [Tags("Figures")]
    [ProducesResponseType(typeof(string), 200, Exports.MarkdownType, Exports.HtmlType)]
    [ProblemAnswers(400, 403)]
    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> Get(string? asOf, string? knownAt, string? format, HttpContext http, IQuerySession session,
        DistrictReferenceData references, TimeProvider clock)
    {
        var errors = new Dictionary<string, string[]>();
        // knownAt reproduces a bulletin as published that day, whatever was back-filled since.
        var known = Moments.ParseKnownAt(knownAt, errors);
        var moment = Moments.ParseAsOf(asOf, clock, errors, known);
        var html = Filters.Given(format) switch { null or "markdown" => false, "html" => true, _ => (bool?)null };
        if (html is null) errors["format"] = ["Must be markdown or html."];
        if (errors.Count > 0) return Problems.Invalid(errors);

        var figures = await StatisticsEndpoints.Figures(session, references, moment, null, null, null, http.RequestAborted, known);
        var rankings = await StatisticsEndpoints.RankingsAsOf(session, references, moment, http.RequestAborted, known);
        var bulletin = Compose(references.District.Name, figures, rankings);
        return html == true
            ? TypedResults.Text(Html(bulletin), "text/html; charset=utf-8")
            : TypedResults.Text(Markdown(bulletin), "text/markdown; charset=utf-8");
    }

    /// <summary>What the bulletin says, apart from how it is written out.</summary>
    private sealed record Text(string Title, IReadOnlyList<string> Paragraphs, string TableTitle, IReadOnlyList<string> Header, IReadOnlyList<string[]> Rows);

    private static Text Compose(string district, CampaignFigures f, Rankings rankings)
    {
        var day = Calendar.WorkingCalendar.ShanghaiDate(f.AsOf);
        return new Text(
            $"{district}联系服务群众入户走访活动情况通报",
            [
                $"截至{day.Year}年{day.Month}月{day.Day}日，全区已入户走访{f.HouseholdsVisited}户，入户率{Percent(f.CoverageRate)}，" +
                $"收集问题诉求{f.Ledger}个，已办结{f.Closed}个（其中解决{f.ClosedResolved}个、解释说明{f.ClosedExplained}个），" +
                $"正在协调解决{f.InProgress}个，另有当场协调解决问题{f.ResolvedOnSpot}个。" +
                $"发放宣传彩页{((f.Leaflets ?? 0) / 10000m).ToString("0.00", CultureInfo.InvariantCulture)}万份，建立社情民意微信群{f.WechatGroups}个，" +
                $"群内宣传惠民政策{f.PolicyPosts}条，实时办结群内反馈问题{f.ResolvedInGroups}件。",
                $"按时办结率{Percent(f.OnTimeRate)}，办结率{Percent(f.ResolutionRate)}，群众满意率{Percent(f.SatisfactionRate)}；目前超期问题{f.Overdue}个。"
            ],
            "各镇街办结情况",
            ["排名", "镇街", "问题诉求", "已办结", "办结率", "按时办结率", "群众满意率"],
            rankings.Towns.Select(t => new[]
            {
                $"{t.ResolutionRank}", t.Name, $"{t.Ledger}", $"{t.Closed}", Percent(t.ResolutionRate), Percent(t.OnTimeRate), Percent(t.SatisfactionRate)
            }).ToList());
    }

    private static string Markdown(Text b)
    {
        var text = new StringBuilder();
        text.AppendLine($"# {b.Title}").AppendLine();
        foreach (var paragraph in b.Paragraphs) text.AppendLine(paragraph).AppendLine();
        text.AppendLine($"## {b.TableTitle}").AppendLine();
        text.AppendLine($"| {string.Join(" | ", b.Header)} |");
        text.AppendLine($"|{string.Concat(b.Header.Select(_ => " --- |"))}");
        foreach (var row in b.Rows) text.AppendLine($"| {string.Join(" | ", row)} |");
        return text.ToString();
    }

    /// <summary>A whole page, every text encoded: names come from reference data an administrator edits.</summary>
    private static string Html(Text b)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder();
        html.AppendLine($"<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head><meta charset=\"utf-8\"><title>{E(b.Title)}</title></head>\n<body>");
        html.AppendLine($"<h1>{E(b.Title)}</h1>");
        foreach (var paragraph in b.Paragraphs) html.AppendLine($"<p>{E(paragraph)}</p>");
        html.AppendLine($"<h2>{E(b.TableTitle)}</h2>\n<table>");
        html.AppendLine($"<thead><tr>{string.Concat(b.Header.Select(h => $"<th>{E(h)}</th>"))}</tr></thead>\n<tbody>");
        foreach (var row in b.Rows) html.AppendLine($"<tr>{string.Concat(row.Select(c => $"<td>{E(c)}</td>"))}</tr>");
        html.AppendLine("</tbody>\n</table>\n</body>\n</html>");
        return html.ToString();
    }

    private static string Percent(decimal? rate) => rate is { } r ? $"{r.ToString("0.0", CultureInfo.InvariantCulture)}%" : "—";
}
