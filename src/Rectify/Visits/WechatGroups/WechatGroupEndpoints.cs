using Rectify.Querying;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure.Requests;
using Marten;
using Rectify.Identity;
using Rectify.Infrastructure;
using Rectify.Issues;
using Rectify.Ledgers;
using Rectify.ReferenceData;
using Wolverine.Http;

namespace Rectify.Visits.WechatGroups;

[Description("A community WeChat group (社情民意微信群) to register.")]
public sealed record RegisterWechatGroupRequest
{
    [Required, Description("The town (镇街)."), Example("qicun")]
    public string? TownId { get; init; }

    [Required, Description("The community (村/社区) of the town the group serves."), Example("qicun-qicun")]
    public string? CommunityId { get; init; }

    [Required, Description("The group's name (at most 100 characters)."), Example("齐村社情民意群")]
    public string? Name { get; init; }

    [Required, Description("How many members it has (0 to 100,000)."), Example(356L)]
    public long? Members { get; init; }

    [Description("When it was set up, with an offset; now when left out."), Example("2022-05-20T10:00:00+08:00")]
    public DateTimeOffset? OccurredAt { get; init; }
}

[Description("Policy posts (政策推送) sent to a group.")]
public sealed record RecordPostsRequest
{
    [Description("How many posts (1 to 1,000); 1 when left out."), Example(1L)]
    public long? Posts { get; init; }

    [Description("The post's title (at most 200 characters)."), Example("夏季防汛须知")]
    public string? Title { get; init; }

    [Description("When they were posted, with an offset; now when left out. Not before the group was set up."), Example("2022-06-01T09:30:00+08:00")]
    public DateTimeOffset? OccurredAt { get; init; }
}

[Description("The registered group's id.")]
public sealed record WechatGroupRegisteredAnswer(Guid Id);

[Description("The group's id and its posts so far.")]
public sealed record WechatPostsAnswer(Guid Id, long Posts);

public sealed record WechatGroupView(
    Guid Id, string TownId, string CommunityId, string Name, int Members, int Posts, int IssuesRaised, int ResolvedInGroup);

/// <summary>One page of groups, oldest first, as every other list pages.</summary>
public sealed record WechatGroupPage(int Page, int PageSize, int Total, IReadOnlyList<WechatGroupView> Items);

/// <summary>
/// 社情民意微信群: groups are registered per community, policy posts recorded, and the issues residents raise in a
/// group are collected with channel wechat-group and the group's id; those resolved on the spot were settled in the group.
/// </summary>
public static class WechatGroupEndpoints
{
    public const int MaxPostsPerRecord = 1000;

    [WolverinePost("/api/v1/wechat-groups")]
    [Tags("Visits"), EndpointSummary("Register a community WeChat group (社情民意微信群)")]
    [ProducesResponseType<WechatGroupRegisteredAnswer>(StatusCodes.Status201Created)]
    [ProblemAnswers(400, 403, 404)]
    public static async Task<IResult> Register(RegisterWechatGroupRequest request, HttpContext http, IDocumentSession session,
        DistrictReferenceData references, TimeProvider clock)
    {
        var actor = ApiKeyAuthentication.ActorOf(http);
        var body = RequestCheck.Of(http);
        var townId = body.Required("townId", request.TownId, 64);
        var communityId = body.Required("communityId", request.CommunityId, 64);
        var name = body.Required("name", request.Name, 100);
        var members = body.Long("members", request.Members, required: true, min: 0);
        var occurredAt = body.Timestamp("occurredAt", request.OccurredAt, required: false) ?? clock.GetUtcNow();
        var community = communityId is null ? null : references.FindCommunity(communityId);
        if (communityId is not null && community is null) body.Fail("communityId", $"Unknown community '{communityId}'.");
        else if (community is { } c && townId is not null && c.Town.Id != townId) body.Fail("communityId", $"Community '{communityId}' is not in town '{townId}'.");
        if (townId is not null && references.FindTown(townId) is null) body.Fail("townId", $"Unknown town '{townId}'.");
        if (members > 100_000) body.Fail("members", "Must be at most 100000.");
        if (occurredAt > clock.GetUtcNow().AddMinutes(2)) body.Fail("occurredAt", "Must not be in the future.");
        if (!body.IsValid) return Problems.Invalid(body.Errors);
        if (Forbidden(actor, townId!) is { } forbidden) return forbidden;

        var id = Guid.CreateVersion7();
        session.Events.StartStream<WechatGroup>(id, new WechatGroupRegistered(id, townId!, communityId!, name!, (int)members!, actor, occurredAt));
        await session.SaveChangesAsync(http.RequestAborted);
        return TypedResults.Created($"/api/v1/wechat-groups/{id}", new WechatGroupRegisteredAnswer(id));
    }

    [WolverinePost("/api/v1/wechat-groups/{id}/posts")]
    [Tags("Visits"), EndpointSummary("Record policy posts (政策推送) sent to a group")]
    [ProducesResponseType<WechatPostsAnswer>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404)]
    public static async Task<IResult> RecordPosts(string id, RecordPostsRequest request, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var actor = ApiKeyAuthentication.ActorOf(http);
        var body = RequestCheck.Of(http);
        var groupId = IssueCommandRunner.ParseId(id, body.Fail);
        var posts = body.Long("posts", request.Posts, required: false, min: 1) ?? 1;
        var title = body.Optional("title", request.Title, 200);
        var occurredAt = body.Timestamp("occurredAt", request.OccurredAt, required: false) ?? clock.GetUtcNow();
        if (posts > MaxPostsPerRecord) body.Fail("posts", $"Must be at most {MaxPostsPerRecord}.");
        if (occurredAt > clock.GetUtcNow().AddMinutes(2)) body.Fail("occurredAt", "Must not be in the future.");
        if (!body.IsValid) return Problems.Invalid(body.Errors);

        // Marten throws on fetching the all-zero id; no group has it.
        if (groupId == Guid.Empty) return Problems.NotFound("WeChat group", id);
        var stream = await session.Events.FetchForWriting<WechatGroup>(groupId!.Value, http.RequestAborted);
        if (stream.Aggregate is null) return Problems.NotFound("WeChat group", id);
        if (Forbidden(actor, stream.Aggregate.TownId) is { } forbidden) return forbidden;
        if (occurredAt < stream.Aggregate.RegisteredAt)
            return Problems.Invalid("occurredAt", $"Must not be before the group was set up ({stream.Aggregate.RegisteredAt:O}).");

        stream.AppendOne(new PolicyPosted(groupId.Value, stream.Aggregate.TownId, (int)posts, title, actor, occurredAt));
        await session.SaveChangesAsync(http.RequestAborted);
        return TypedResults.Ok(new WechatPostsAnswer(groupId.Value, stream.Aggregate.Posts + posts));
    }

    [WolverineGet("/api/v1/wechat-groups")]
    [Tags("Visits"), EndpointSummary("List WeChat groups with the issues raised in them")]
    [ProducesResponseType<WechatGroupPage>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403)]
    public static async Task<IResult> List(string? townId, int? page, int? pageSize, string? format, HttpContext http, IQuerySession session,
        DistrictReferenceData references)
    {
        var errors = new Dictionary<string, string[]>();
        var paging = Paging.Read(page, pageSize, errors);
        Exports.JsonOnly(format, errors);
        townId = Filters.Given(townId);
        if (townId is not null && references.FindTown(townId) is null) errors["townId"] = [$"Unknown town '{townId}'."];
        if (errors.Count > 0) return Problems.Invalid(errors);
        // A town role lists its town's groups only (a ?townId= of another town was refused before this ran).
        townId ??= Identity.Access.ReadScope.Of(ApiKeyAuthentication.ActorOf(http)).TownId;
        var matching = session.Query<WechatGroup>().Where(g => townId == null || g.TownId == townId);
        var total = await matching.CountAsync(http.RequestAborted);
        var groups = await matching.OrderBy(g => g.RegisteredAt).ThenBy(g => g.Id)
            .Skip((paging.Page - 1) * paging.PageSize).Take(paging.PageSize).ToListAsync(http.RequestAborted);
        var ids = groups.Select(g => (Guid?)g.Id).ToArray();
        var raised = await session.Query<IssueSummary>().Where(s => s.WechatGroupId != null && s.WechatGroupId.IsOneOf(ids))
            .Select(s => new { s.WechatGroupId, s.State.Status }).ToListAsync(http.RequestAborted);
        var byGroup = raised.GroupBy(r => r.WechatGroupId!.Value).ToDictionary(g => g.Key, g => g.ToList());
        return TypedResults.Ok(new WechatGroupPage(paging.Page, paging.PageSize, total, groups.Select(g =>
        {
            var issues = byGroup.GetValueOrDefault(g.Id) ?? [];
            return new WechatGroupView(g.Id, g.TownId, g.CommunityId, g.Name, g.Members, g.Posts, issues.Count,
                issues.Count(i => i.Status == IssueStatus.ResolvedOnSpot));
        }).ToList()));
    }

    private static IResult? Forbidden(Actor actor, string townId) =>
        actor.IsSupervisor || actor.Role == Role.ExternalSystem || IssuePermissions.TownOfficeOf(actor, townId) || IssuePermissions.VisitorOf(actor, townId)
            ? null
            : Problems.Forbidden($"Only a visitor or office of town {townId}, or a district supervisor, may do this.");
}
