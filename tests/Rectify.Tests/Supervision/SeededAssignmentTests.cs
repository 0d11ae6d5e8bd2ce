using Rectify.Issues;
using Rectify.Seeding;
using Rectify.Supervision;
using Rectify.Tests.Lifecycle;

namespace Rectify.Tests.Supervision;

/// <summary>
/// The seeded campaign records exactly the assignment notices a running service would have: every wait for
/// assignment (after collection or a return) is judged as its scheduled checks would have judged it, on the events
/// recorded before each check fired.
/// </summary>
public sealed class SeededAssignmentTests
{
    private static readonly SupervisionOptions Options = new();

    [Fact]
    public void Every_issue_left_unassigned_too_long_has_its_notices_and_no_other_has_any()
    {
        var plan = new CampaignPlan(1, 0.1, Given.References, Given.Calendar);
        var campaignEnd = Clocks.EndOf(PublishedFigures.End).AddTicks(-1);
        var waiting = 0;
        var secondNotices = 0;

        foreach (var stream in plan.Issues)
        {
            var events = stream.Events.Cast<IIssueEvent>().ToList();
            var recorded = events.OfType<DeadlineMissed>().Where(m => m.Clock == SupervisionClock.Assignment)
                .Select(m => (m.ClockId, m.Level, m.OccurredAt)).ToList();
            var expected = new List<(Guid, int, DateTimeOffset)>();

            foreach (var clock in StartedClocks(events))
            {
                foreach (var level in new[] { 1, 2 })
                {
                    var firesAt = Clocks.EndOf(SupervisionCheck.FiresOn(clock with { Level = level }, Given.Calendar, Options));
                    if (firesAt > campaignEnd) break;
                    // What the issue was when this check fired: the acts recorded before it.
                    var then = Issue.Fold(events.Where(e => e is not DeadlineMissed && e.OccurredAt < firesAt));
                    if (!SupervisionCheck.IsRunning(then, SupervisionClock.Assignment, clock.ClockId)) break;
                    expected.Add((clock.ClockId, level, firesAt));
                }
            }

            Assert.Equal(expected, recorded);
            secondNotices += expected.Count(x => x.Item2 == 2);
            if (expected.Count > 0)
            {
                waiting++;
                Assert.Equal(IssueStatus.Collected, Issue.Fold(events).Status);
            }
        }

        Assert.True(waiting > 0, "the campaign leaves some issues waiting to be routed");
        var notices = plan.Notices.Where(n => n.Clock == SupervisionClock.Assignment).ToList();
        // The town at level 1; the town and the district at level 2 (a wait that began late in July may not reach it by the end).
        Assert.Equal(waiting + 2 * secondNotices, notices.Count);
        Assert.Equal(secondNotices, notices.Count(n => n.RecipientId == SupervisionCheck.DistrictSupervisor));
        Assert.True(secondNotices > 0);
    }

    private static IEnumerable<CheckClock> StartedClocks(IReadOnlyList<IIssueEvent> events) =>
        events.Select(e => e switch
        {
            IssueCollected c => AssignmentClock.StartedBy(c, Given.Calendar, Options),
            IssueReturned r => AssignmentClock.StartedBy(r, Given.Calendar, Options),
            _ => null
        }).OfType<CheckClock>();
}
