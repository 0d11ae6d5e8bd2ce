using Rectify.Issues;
using Rectify.Seeding;
using Rectify.Supervision;
using Rectify.Tests.Lifecycle;

namespace Rectify.Tests.Supervision;

/// <summary>A seeded campaign decides its supervision in place; the notices its recipients hold match what it recorded.</summary>
public sealed class SeededNoticeTests
{
    [Fact]
    public void Every_party_a_seeded_deadline_missed_event_names_holds_that_notice_once()
    {
        var plan = new CampaignPlan(5, 0.1, Given.References, Given.Calendar);

        var expected = plan.Issues.SelectMany(i => i.Events).OfType<DeadlineMissed>()
            .SelectMany(m => m.NotifiedParties.Select(party => (ActIds.For(m.ClockId, m.Level, $"notice:{party}"), party, m.Level, m.OccurredAt)))
            .ToList();

        Assert.NotEmpty(expected);
        Assert.Contains(expected, n => n.party == SupervisionCheck.DistrictSupervisor);
        Assert.Equal(expected.Order(), plan.Notices.Select(n => (n.Id, n.RecipientId, n.Level, n.NotifiedAt)).Order());
    }
}
