using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure.Requests;
using System.Text.RegularExpressions;
using Marten;
using Microsoft.Extensions.Options;
using Rectify.Calendar;
using Rectify.Identity;
using Rectify.Infrastructure;
using Rectify.ReferenceData;
using Rectify.Supervision;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Collecting;

[Description("A problem a resident raised, as the visitor or office recorded it.")]
public sealed record CollectIssueRequest
{
    [Required, Description("The town (镇街) where the problem is."), Example("qicun")]
    public string? TownId { get; init; }

    [Description("The community (村/社区) in the town; taken from the grid when only the grid is given."), Example("qicun-qicun")]
    public string? CommunityId { get; init; }

    [Description("The grid (网格) in the community."), Example("qicun-qicun-01")]
    public string? GridId { get; init; }

    [Description("The household (户) of the grid's register."), Example("qicun-qicun-01-003")]
    public string? HouseholdId { get; init; }

    [Required, Description("Where the problem is (at most 200 characters)."), Example("齐村镇齐村 3 号")]
    public string? Address { get; init; }

    [Required, Description("The problem's category (GET /api/v1/categories)."), Example("living-environment")]
    public string? CategoryId { get; init; }

    [Required, Description("The problem as the resident told it (at most 2,000 characters)."), Example("村口路灯坏了一个月，晚上出行不安全")]
    public string? Description { get; init; }

    [Required, Description("How the problem reached Rectify."), Example("visit")]
    public Channel? Channel { get; init; }

    [Required, Description("The visitor (走访人) who collected it."), Example("visitor-017")]
    public string? VisitorId { get; init; }

    [Description("When it was collected, with an offset; now when left out. At most 2 minutes ahead of the server's clock."), Example("2022-06-01T09:30:00+08:00")]
    public DateTimeOffset? CollectedAt { get; init; }

    [Description("The resident's name (personal data: shown only to those who may see it; at most 50 characters)."), Example("王秀英")]
    public string? ResidentName { get; init; }

    [Description("The resident's phone: digits, spaces or dashes, optionally starting with + (personal data; at most 20 characters)."), Example("13800001234")]
    public string? ResidentPhone { get; init; }

    [Description("An earlier issue this one repeats or follows.")]
    public Guid? RelatedIssueId { get; init; }

    [Description("The community WeChat group the problem was raised in (channel wechat-group only).")]
    public Guid? WechatGroupId { get; init; }
}

public sealed record CollectIssue(
    string TownId, string? CommunityId, string? GridId, string? HouseholdId, string Address, string CategoryId,
    string Description, Channel Channel, string VisitorId, DateTimeOffset CollectedAt,
    string? ResidentName, string? ResidentPhone, Guid? RelatedIssueId, Guid? WechatGroupId)
{
    public const int MaxAddress = 200;
    public const int MaxDescription = 2000;
    public const int MaxId = 64;
    public const int MaxResidentName = 50;
    public const int MaxResidentPhone = 20;

    private static readonly Regex PhoneShape = new(@"^\+?[0-9][0-9 \-]{4,19}$", RegexOptions.Compiled);

    public static CollectIssue? Read(CollectIssueRequest request, RequestCheck body, DistrictReferenceData references, DateTimeOffset now)
    {
        var townId = body.Required("townId", request.TownId, MaxId);
        var communityId = body.Optional("communityId", request.CommunityId, MaxId);
        var gridId = body.Optional("gridId", request.GridId, MaxId);
        var householdId = body.Optional("householdId", request.HouseholdId, MaxId);
        var address = body.Required("address", request.Address, MaxAddress);
        var categoryId = body.Required("categoryId", request.CategoryId, MaxId);
        var description = body.Required("description", request.Description, MaxDescription);
        var channel = body.Required("channel", request.Channel);
        var visitorId = body.Required("visitorId", request.VisitorId, MaxId);
        var collectedAt = body.Timestamp("collectedAt", request.CollectedAt, required: false) ?? now;
        var residentName = body.Optional("residentName", request.ResidentName, MaxResidentName);
        var residentPhone = body.Optional("residentPhone", request.ResidentPhone, MaxResidentPhone);
        var relatedIssueId = request.RelatedIssueId;
        var wechatGroupId = request.WechatGroupId;
        if (wechatGroupId is not null && channel is not null && channel != Channel.WechatGroup)
            body.Fail("wechatGroupId", "Only an issue raised in a community WeChat group (channel wechat-group) names a group.");

        if (townId is not null && references.FindTown(townId) is null) body.Fail("townId", $"Unknown town '{townId}'.");
        if (categoryId is not null && references.FindCategory(categoryId) is null) body.Fail("categoryId", $"Unknown category '{categoryId}'.");
        if (communityId is not null)
        {
            var community = references.FindCommunity(communityId);
            if (community is null) body.Fail("communityId", $"Unknown community '{communityId}'.");
            else if (townId is not null && community.Value.Town.Id != townId) body.Fail("communityId", $"Community '{communityId}' is not in town '{townId}'.");
        }

        if (gridId is not null)
        {
            var grid = references.FindGrid(gridId);
            if (grid is null) body.Fail("gridId", $"Unknown grid '{gridId}'.");
            else if (townId is not null && grid.Value.Town.Id != townId) body.Fail("gridId", $"Grid '{gridId}' is not in town '{townId}'.");
            else if (communityId is not null && grid.Value.Community.Id != communityId) body.Fail("gridId", $"Grid '{gridId}' is not in community '{communityId}'.");
            else communityId ??= grid.Value.Community.Id;
        }

        if (collectedAt > now.AddMinutes(2)) body.Fail("collectedAt", "Must not be in the future.");
        if (residentPhone is not null && !PhoneShape.IsMatch(residentPhone))
            body.Fail("residentPhone", "Must be a phone number of digits, spaces or dashes, optionally starting with +.");

        if (!body.IsValid) return null;
        return new CollectIssue(townId!, communityId, gridId, householdId, address!, categoryId!, description!, channel!.Value,
            visitorId!, collectedAt, residentName, residentPhone, relatedIssueId, wechatGroupId);
    }

    public static string? Forbidden(Actor actor, string townId) =>
        // An external system reaches this only with the route on its client (the access table): it collects as the district would.
        actor.IsSupervisor || actor.Role == Role.ExternalSystem || IssuePermissions.TownOfficeOf(actor, townId) || IssuePermissions.VisitorOf(actor, townId)
            ? null
            : $"Only a visitor or office of town {townId}, or a district supervisor, may collect issues there.";

    public IssueCollected ToEvent(Guid issueId, Guid? residentContactId, Actor actor) =>
        new(issueId, TownId, CommunityId, GridId, HouseholdId, Address, CategoryId, Description, Channel, VisitorId,
            residentContactId, RelatedIssueId, WechatGroupId, actor, CollectedAt);
}

public static class CollectIssueEndpoint
{
    private static readonly OutgoingMessages None = [];

    /// <summary>
    /// Stores the issue and schedules its assignment clock; both are committed together by Wolverine's transaction
    /// with the Marten outbox, after this returns (nothing is stored on an error).
    /// </summary>
    [WolverinePost("/api/v1/issues")]
    [Tags("Issues"), EndpointSummary("Collect an issue (收集): a problem a resident raised")]
    [ProducesResponseType<IssueCommandResponse>(StatusCodes.Status201Created)]
    [ProblemAnswers(400, 403, 404)]
    public static async Task<(IResult, OutgoingMessages)> Post(CollectIssueRequest request, HttpContext http, IDocumentSession session,
        DistrictReferenceData references, TimeProvider clock, LiveCalendar live, IOptions<SupervisionOptions> supervision)
    {
        var actor = ApiKeyAuthentication.ActorOf(http);
        var body = RequestCheck.Of(http);
        var command = CollectIssue.Read(request, body, references, clock.GetUtcNow());
        if (command?.RelatedIssueId is { } relatedId && await session.LoadAsync<Issue>(relatedId, http.RequestAborted) is null)
            body.Fail("relatedIssueId", $"No issue with id {relatedId}.");
        if (command?.WechatGroupId is { } groupId)
        {
            var group = await session.LoadAsync<Visits.WechatGroups.WechatGroup>(groupId, http.RequestAborted);
            if (group is null) body.Fail("wechatGroupId", $"No WeChat group with id {groupId}.");
            else if (group.TownId != command.TownId) body.Fail("wechatGroupId", $"Group {groupId} belongs to town {group.TownId}.");
        }
        if (command is null || !body.IsValid) return (Problems.Invalid(body.Errors), None);

        if (CollectIssue.Forbidden(actor, command.TownId) is { } forbidden) return (Problems.Forbidden(forbidden), None);

        var issueId = Guid.CreateVersion7();
        Guid? contactId = null;
        if (command.ResidentName is not null || command.ResidentPhone is not null)
        {
            contactId = Guid.CreateVersion7();
            session.Store(new ResidentContact
            {
                Id = contactId.Value, IssueId = issueId, Name = command.ResidentName, Phone = command.ResidentPhone,
                RecordedAt = clock.GetUtcNow()
            });
        }

        var collected = command.ToEvent(issueId, contactId, actor);
        session.Events.StartStream<Issue>(issueId, collected);
        var calendar = await live.LoadAsync(session, http.RequestAborted);
        var assignment = AssignmentClock.StartedBy(collected, calendar, supervision.Value);

        http.Response.Headers.ETag = IssueCommandRunner.ETag(1);
        return (TypedResults.Created($"/api/v1/issues/{issueId}",
            new IssueCommandResponse(issueId, 1, IssueStatus.Collected, null, null)),
            [AssignmentClock.Schedule(assignment, clock.GetUtcNow(), calendar, supervision.Value)]);
    }
}
