using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Rectify.Client;
using Rectify.Client.Models;
using Rectify.Tests.Support;

namespace Rectify.Tests.Api;

/// <summary>
/// The Kiota client generated from docs/openapi.json (tests/Rectify.Client), used as an integrating system would: its
/// routes, response models and error types against the running service.
/// </summary>
public sealed class GeneratedClientTests(AppFixture app) : ApiTest(app)
{
    private sealed class Key(string key) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new();
        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? context = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(key);
    }

    private HttpClientRequestAdapter AdapterOf(string? name) =>
        new(name is null ? new AnonymousAuthenticationProvider() : new BaseBearerTokenAuthenticationProvider(new Key(App.Keys[name])),
            httpClient: Host.Server.CreateClient()) { BaseUrl = "http://localhost" };

    private RectifyClient ClientOf(string? name) => new(AdapterOf(name));

    private static CollectIssueRequest NewIssue(string? residentPhone = "13800001234") => new()
    {
        TownId = "qicun", CommunityId = "qicun-qicun", Address = "齐村镇齐村 3 号", CategoryId = "living-environment",
        Description = "村口路灯坏了一个月，晚上出行不安全", Channel = Channel.Visit, VisitorId = "visitor-017",
        ResidentName = "王秀英", ResidentPhone = residentPhone
    };

    [Fact]
    public async Task A_generated_client_collects_assigns_accepts_resolves_records_feedback_and_closes()
    {
        var visitor = ClientOf("qicun-visitor");
        var office = ClientOf("qicun-office");
        var leader = ClientOf("qicun-leader");

        // Every step through the generated request builders, request models and answer models.
        var collected = await visitor.Api.V1.Issues.PostAsync(NewIssue());
        Assert.Equal(IssueStatus.Collected, collected!.Status);
        var id = collected.Id!.Value.ToString();

        var assigned = await office.Api.V1.Issues[id].Assign.PostAsync(new AssignIssueRequest
        {
            Version = 1, UnitId = "qicun-governance", Measures = "更换路灯灯具", ResponsibleOffice = "综治中心", ResponsiblePerson = "李明"
        });
        Assert.Equal(IssueStatus.Assigned, assigned!.Status);
        Assert.Equal(2, assigned.Version);
        Assert.Equal("qicun-governance", assigned.UnitId);

        Assert.Equal(IssueStatus.InProgress, (await office.Api.V1.Issues[id].Accept.PostAsync(new AcceptIssueRequest { Version = 2 }))!.Status);
        Assert.Equal(IssueStatus.Resolved, (await office.Api.V1.Issues[id].Resolve.PostAsync(new ResolveIssueRequest { Version = 3, Outcome = "已更换灯具" }))!.Status);
        var feedback = await visitor.Api.V1.Issues[id].Feedback.PostAsync(new RecordFeedbackRequest
        {
            Version = 4, Satisfaction = Satisfaction.Satisfied, Comment = "很满意"
        });
        Assert.Equal(IssueStatus.Resolved, feedback!.Status);
        var closed = await leader.Api.V1.Issues[id].Close.PostAsync(new CloseIssueRequest { Version = 5 });
        Assert.Equal(IssueStatus.Closed, closed!.Status);
        Assert.Equal(6, closed.Version);

        // A read through the generated model, and the history of the six steps.
        var read = await ClientOf("admin").Api.V1.Issues[id].GetAsync();
        Assert.Equal(IssueStatus.Closed, read!.Status);
        Assert.Equal("living-environment", read.CategoryId);
        var history = await ClientOf("auditor").Api.V1.Issues[id].History.GetAsync();
        Assert.Equal(6, history!.Count);

        // A stale version: the generated error type carries the problem.
        var stale = await Assert.ThrowsAsync<ProblemDetails>(() => leader.Api.V1.Issues[id].Close.PostAsync(new CloseIssueRequest { Version = 5 }));
        Assert.Equal(409, stale.ResponseStatusCode);
    }

    [Fact]
    public async Task The_generated_client_reads_without_a_key_where_allowed_and_maps_errors_to_problem_details()
    {
        var anonymous = ClientOf(null);
        Assert.NotNull(await anonymous.Health.GetAsync());
        Assert.NotEmpty((await anonymous.Api.V1.Towns.GetAsync())!);

        var unauthenticated = await Assert.ThrowsAsync<ProblemDetails>(() => anonymous.Api.V1.Issues[Guid.NewGuid().ToString()].GetAsync());
        Assert.Equal(401, unauthenticated.Status);

        var missing = await Assert.ThrowsAsync<ProblemDetails>(() => ClientOf("admin").Api.V1.Issues[Guid.NewGuid().ToString()].GetAsync());
        Assert.Equal(404, missing.Status);
        Assert.False(string.IsNullOrWhiteSpace(missing.Title));

        var invalid = await Assert.ThrowsAsync<HttpValidationProblemDetails>(() => ClientOf("qicun-visitor").Api.V1.Issues.PostAsync(NewIssue(residentPhone: "12")));
        Assert.Equal(400, invalid.Status);
        Assert.Contains("residentPhone", invalid.Errors!.AdditionalData.Keys);
    }
}
