using System.Text.Json;
using JasperFx.Events;
using Marten;
using Rectify.Identity;
using Rectify.Issues;
using Rectify.Ledgers;
using Rectify.Seeding;
using Rectify.Supervision;
using Rectify.Tests.Lifecycle;
using Rectify.Tests.Support;
using Wolverine.Tracking;

namespace Rectify.Tests.Figures;

/// <summary>
/// A slice of the seeded campaign replayed through the live service: each act over HTTP at its own time (the test
/// clock), each scheduled supervision check fired when its time comes, as Wolverine would fire it. The notices,
/// the missed-clock events and the overdue spans it records equal the seeder's, field for field.
/// </summary>
public sealed class SeededSupervisionReplayTests(AppFixture app) : ApiTest(app)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Dictionary<string, string> _keys = [];
    private readonly List<(DateTimeOffset At, CheckClock Check)> _scheduled = [];

    [Fact]
    public async Task Replaying_seeded_issues_through_the_live_service_records_the_seeders_notices_and_overdue_spans()
    {
        var plan = new CampaignPlan(7, 0.05, Given.References, Given.Calendar);
        var ledger = plan.Issues.Where(i => i.Events.Count > 1 && i.Events[1] is not IssueResolvedOnSpot).ToList();
        var supervised = ledger.Where(i => i.Events.OfType<DeadlineMissed>().Any()).ToList();
        // Issues still open at the end (clocks that ran on to their second notices), a few closed late, a few never late.
        var slice = supervised.Where(i => !i.Events.OfType<IssueClosed>().Any()).Take(14)
            .Concat(supervised.Where(i => i.Events.OfType<IssueClosed>().Any()).Take(4))
            .Concat(ledger.Where(i => !i.Events.OfType<DeadlineMissed>().Any()).Take(3))
            .ToList();
        Assert.Contains(slice, i => i.Events.OfType<DeadlineMissed>().Any(m => m.Level == 2 && m.Clock == SupervisionClock.Handling));

        await Register(slice.SelectMany(i => i.Events).OfType<IIssueEvent>().Select(e => e.Actor).Where(a => a.Role != Role.System));
        // Collection starts no clock: it is stored as the seed stored it, so the issue (and every clock) keeps its id.
        await using (var session = Store.LightweightSession())
        {
            foreach (var issue in slice) session.Events.StartStream<Issue>(issue.Id, issue.Events[0]);
            await session.SaveChangesAsync();
        }
        // ... and its wait for assignment is scheduled as the collection endpoint schedules it.
        var options = new SupervisionOptions();
        foreach (var check in slice.Select(i => AssignmentClock.StartedBy((IssueCollected)i.Events[0], Given.Calendar, options)))
            _scheduled.Add((Clocks.EndOf(SupervisionCheck.FiresOn(check, Given.Calendar, options)), check));

        var acts = slice.SelectMany(i => i.Events.Skip(1).OfType<IIssueEvent>().Where(e => e is not (DeadlineMissed or ReworkStarted)))
            .OrderBy(e => e.OccurredAt).ToList();
        foreach (var act in acts)
        {
            await FireChecksDueBy(act.OccurredAt);
            App.Clock.Set(act.OccurredAt);
            var (tracked, _) = await Tracked(() => Perform(act));
            Schedule(tracked);
        }
        await FireChecksDueBy(Clocks.EndOf(PublishedFigures.End).AddTicks(-1));

        await using var query = Store.QuerySession();
        foreach (var issue in slice)
        {
            var live = (await query.Events.FetchStreamAsync(issue.Id)).Select(e => e.Data).ToList();
            Assert.Equal(issue.Events.Select(e => e.GetType().Name), live.Select(e => e.GetType().Name));
            Assert.Equal(Serialized(issue.Events.OfType<DeadlineMissed>()), Serialized(live.OfType<DeadlineMissed>()));

            var summary = (await query.LoadAsync<IssueSummary>(issue.Id))!;
            Assert.Equal(Serialized(SeededSummary(issue).OverdueSpans), Serialized(summary.OverdueSpans));
        }

        var ids = slice.Select(i => i.Id).ToHashSet();
        var notices = await query.Query<NoticeEntry>().ToListAsync();
        Assert.NotEmpty(notices);
        Assert.Contains(notices, n => n.RecipientId == SupervisionCheck.DistrictSupervisor);
        // Every field, times compared as instants (PostgreSQL gives them back in UTC).
        static string Fields(IEnumerable<NoticeEntry> entries) => Serialized(entries.OrderBy(n => n.Id).Select(n => new
        {
            n.Id, n.RecipientId, n.IssueId, n.TownId, n.UnitId, n.CategoryId, n.Clock, n.ClockId, n.Level, n.DueDate,
            NotifiedAt = n.NotifiedAt.UtcDateTime, ReceivedAt = n.ReceivedAt.UtcDateTime
        }));
        Assert.Equal(Fields(plan.Notices.Where(n => ids.Contains(n.IssueId))), Fields(notices));

        // The overdue figure at the end of every day of the campaign is the one the seeded spans give.
        for (var day = PublishedFigures.Start; day <= PublishedFigures.End; day = day.AddDays(1))
        {
            var asOf = Clocks.EndOf(day).AddTicks(-1);
            var expected = slice.Select(SeededSummary).Count(s => s.State.CollectedAt <= asOf && s.OverdueSpans.Any(o => o.From <= asOf && (o.To is null || o.To > asOf)));
            var served = (await Get($"/api/v1/statistics?asOf={day:yyyy-MM-dd}", "auditor", 200)).Json.GetProperty("overdue").GetInt32();
            Assert.True(expected == served, $"overdue at the end of {day}: seeded {expected}, served {served}");
        }
    }

    private static string Serialized<T>(IEnumerable<T> items) => JsonSerializer.Serialize(items.ToList(), Json);

    /// <summary>The summary the seeder's stream folds into (the same projection the service runs).</summary>
    private static IssueSummary SeededSummary(SeedStream issue)
    {
        var projection = new IssueSummaryProjection();
        IssueSummary? summary = null;
        foreach (var e in issue.Events) summary = projection.Evolve(summary, issue.Id, new Event<object>(e));
        return summary!;
    }

    private async Task Register(IEnumerable<Actor> actors)
    {
        await using var session = Store.LightweightSession();
        foreach (var actor in actors.Distinct())
        {
            if (_keys.ContainsKey(actor.ClientName)) continue;
            var key = _keys[actor.ClientName] = ApiClient.NewKey();
            session.Store(new ApiClient
            {
                Id = ApiClient.Hash(key), Name = actor.ClientName, Role = actor.Role, TownId = actor.TownId, DepartmentId = actor.DepartmentId,
                RegisteredAt = DateTimeOffset.UtcNow
            });
        }
        await session.SaveChangesAsync();
    }

    private void Schedule(ITrackedSession tracked) =>
        _scheduled.AddRange(tracked.Scheduled.Envelopes().Where(e => e.Message is CheckClock).Select(e => (e.ScheduledTime!.Value, (CheckClock)e.Message!)));

    /// <summary>What Wolverine does on real time: each scheduled check runs when its time comes, earliest first.</summary>
    private async Task FireChecksDueBy(DateTimeOffset now)
    {
        while (_scheduled.Where(s => s.At <= now).OrderBy(s => s.At).ThenBy(s => s.Check.Level).FirstOrDefault() is { Check: not null } due)
        {
            _scheduled.Remove(due);
            App.Clock.Set(due.At);
            Schedule(await Host.TrackActivity().Timeout(TimeSpan.FromMinutes(3)).InvokeMessageAndWaitAsync(due.Check));
        }
    }

    /// <summary>The HTTP request that records the seeded act, by the seeded actor.</summary>
    private async Task<Reply> Perform(IIssueEvent act)
    {
        await using var query = Store.QuerySession();
        var version = (await query.LoadAsync<Issue>(act.IssueId))!.Version;
        var body = JsonSerializer.SerializeToElement((object)act, Json);
        string? Text(string name) => body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var (command, fields) = act switch
        {
            IssueAssigned a => ("assign", new Dictionary<string, object?>
                { ["unitId"] = a.UnitId, ["measures"] = a.Measures, ["responsibleOffice"] = a.ResponsibleOffice, ["responsiblePerson"] = a.ResponsiblePerson }),
            IssueReturned r => ("return", new() { ["reason"] = r.Reason }),
            IssueEscalated x => ("escalate", new() { ["departmentId"] = x.DepartmentId, ["reason"] = x.Reason }),
            RerouteRequested r => ("request-reroute", new() { ["reason"] = r.Reason }),
            IssueRerouted r => ("reroute", new() { ["departmentId"] = r.ToDepartmentId, ["reason"] = r.Reason }),
            RerouteRejected r => ("reject-reroute", new() { ["reason"] = r.Reason }),
            // A department accepting an escalated issue names its measures and the people responsible.
            IssueAccepted => ("accept", new()
            {
                ["measures"] = Text("measures") ?? "按归口办理，限期整改", ["responsibleOffice"] = Text("responsibleOffice") ?? "办公室",
                ["responsiblePerson"] = Text("responsiblePerson") ?? "责任人"
            }),
            ExtensionRequested x => ("request-extension", new() { ["newDeadline"] = x.NewDeadline.ToString("yyyy-MM-dd"), ["reason"] = x.Reason }),
            ExtensionApproved => ("approve-extension", new()),
            IssueResolved r => ("resolve", new() { ["outcome"] = r.Outcome }),
            IssueExplained x => ("explain", new()
            {
                ["explanation"] = x.Explanation,
                ["milestones"] = x.Milestones.Select(m => new { dueDate = m.DueDate.ToString("yyyy-MM-dd"), description = m.Description }).ToArray()
            }),
            FeedbackRecorded f => ("feedback", new() { ["satisfaction"] = Rectify.Infrastructure.Kebab.Of(f.Satisfaction), ["comment"] = f.Comment }),
            IssueClosed => ("close", new()),
            _ => throw new InvalidOperationException($"No request replays {act.GetType().Name}.")
        };
        fields["version"] = version;
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(fields).ToUrl($"/api/v1/issues/{act.IssueId}/{command}");
            s.WithRequestHeader("Authorization", $"Bearer {_keys[act.Actor.ClientName]}");
            s.StatusCodeShouldBe(200);
        });
        return new Reply(result, await result.ReadAsTextAsync(), default);
    }
}
