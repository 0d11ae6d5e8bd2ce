using Marten;
using Rectify.Infrastructure;
using Rectify.Issues;
using Rectify.Routing;
using Rectify.Tests.Support;
using Wolverine.Tracking;

namespace Rectify.Tests.Contract;

/// <summary>One correlation id from the caller's request to the events, the routed message and the unit's inbox.</summary>
public sealed class CorrelationTests(AppFixture app) : ApiTest(app)
{
    private static Action<Alba.Scenario> WithCorrelation(string id) => s => s.WithRequestHeader(CorrelationIds.Header, id);

    [Fact]
    public async Task An_escalation_carries_the_callers_id_into_its_event_the_routed_message_the_inbox_and_the_answer()
    {
        const string correlation = "city-hotline:2026-12-02.0042";
        var id = await Collect();

        var (tracked, reply) = await Tracked(() => Post($"/api/v1/issues/{id}/escalate",
            new { version = 1, departmentId = "housing", reason = "镇级无法解决" }, "qicun-office", 200, WithCorrelation(correlation)));

        Assert.Equal(correlation, reply.Header(CorrelationIds.Header));
        Assert.Empty(tracked.AllExceptions());

        await using var session = Store.QuerySession();
        var escalated = (await session.Events.FetchStreamAsync(id)).Single(e => e.Data is IssueEscalated);
        Assert.Equal(correlation, escalated.CorrelationId);

        var delivery = tracked.Executed.Envelopes().Single(e => e.Message is DeliverToDepartment);
        Assert.Equal(correlation, delivery.CorrelationId);

        var entry = Assert.Single(await session.Query<InboxEntry>().Where(e => e.IssueId == id).ToListAsync());
        var written = await session.MetadataForAsync(entry);
        Assert.Equal(correlation, written!.CorrelationId);
        Assert.Equal(delivery.Id.ToString(), written.CausationId); // caused by the delivery

        var history = (await Get($"/api/v1/issues/{id}/history", "auditor", 200)).Json.EnumerateArray().ToList();
        Assert.Equal(correlation, history[1].GetProperty("correlationId").GetString());
        Assert.NotEqual(correlation, history[0].GetProperty("correlationId").GetString()); // another request, another id
    }

    [Fact]
    public async Task Without_an_id_each_request_gets_a_new_one_stored_with_its_events()
    {
        var first = await Post("/api/v1/issues", NewIssue(), "qicun-visitor", 201);
        var second = await Post("/api/v1/issues", NewIssue(), "qicun-visitor", 201);

        var (a, b) = (first.Header(CorrelationIds.Header), second.Header(CorrelationIds.Header));
        Assert.True(CorrelationIds.IsValid(a));
        Assert.NotEqual(a, b);
        await using var session = Store.QuerySession();
        var stored = await session.Events.FetchStreamAsync(first.Json.GetProperty("id").GetGuid());
        Assert.Equal(a, stored[0].CorrelationId);
    }

    [Theory]
    [InlineData("has spaces")]
    [InlineData("semi;colon")]
    [InlineData("中文")]
    public async Task A_malformed_id_is_replaced_not_echoed(string given)
    {
        var reply = await Post("/api/v1/issues", NewIssue(), "qicun-visitor", 201, s => s.WithRequestHeader(CorrelationIds.Header, given));

        var answered = reply.Header(CorrelationIds.Header);
        Assert.NotEqual(given, answered);
        Assert.True(CorrelationIds.IsValid(answered));
    }

    [Fact]
    public async Task An_over_long_id_is_replaced_and_the_longest_allowed_is_kept()
    {
        var longest = new string('a', CorrelationIds.MaxLength);
        Assert.Equal(longest, (await Get("/api/v1/towns", "admin", 200, WithCorrelation(longest))).Header(CorrelationIds.Header));
        Assert.NotEqual(longest + "a", (await Get("/api/v1/towns", "admin", 200, WithCorrelation(longest + "a"))).Header(CorrelationIds.Header));
    }

    [Fact]
    public async Task Errors_carry_the_id_too()
    {
        var invalid = await Post($"/api/v1/issues/{Guid.NewGuid()}/escalate", new { }, "qicun-office", 400, WithCorrelation("bad-request-1"));
        Assert.Equal("bad-request-1", invalid.Header(CorrelationIds.Header));

        var unknownRoute = await Get("/api/v1/no-such-thing", "admin", 404, WithCorrelation("not-found-1"));
        Assert.Equal("not-found-1", unknownRoute.Header(CorrelationIds.Header));

        var unauthenticated = await Get("/api/v1/issues", null, 401, WithCorrelation("anonymous-1"));
        Assert.Equal("anonymous-1", unauthenticated.Header(CorrelationIds.Header));

        var id = await Collect();
        var conflict = await Post($"/api/v1/issues/{id}/escalate", new { version = 5, reason = "r" }, "qicun-office", 409, WithCorrelation("conflict-1"));
        Assert.Equal("conflict-1", conflict.Header(CorrelationIds.Header));
    }
}
