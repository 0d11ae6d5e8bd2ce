using Rectify.Issues;
using Rectify.Seeding;
using Rectify.Tests.Lifecycle;
using Rectify.Visits;

namespace Rectify.Tests.Figures;

/// <summary>The seeded campaign reads like a real one: offices act in office hours, ledger rows name varied offices and people, leaflets vary.</summary>
public sealed class SeedRealismTests
{
    private static readonly CampaignPlan Plan = new(7, 0.05, Given.References, Given.Calendar);

    [Fact]
    public void Acceptances_happen_in_office_hours()
    {
        var accepted = Plan.Issues.SelectMany(i => i.Events).OfType<IssueAccepted>().Select(a => a.OccurredAt.ToOffset(TimeSpan.FromHours(8)).TimeOfDay).ToList();
        Assert.NotEmpty(accepted);
        Assert.All(accepted, t => Assert.InRange(t, TimeSpan.FromHours(8.5), TimeSpan.FromHours(18)));
        Assert.True(accepted.Distinct().Count() > accepted.Count / 2, "acceptance times vary");
    }

    [Fact]
    public void Milestones_of_seeded_roadmaps_fall_on_working_days()
    {
        var plan = new CampaignPlan(1, 1, Given.References, Given.Calendar);
        var milestones = plan.Issues.SelectMany(i => i.Events).OfType<IssueExplained>().SelectMany(x => x.Milestones).ToList();
        Assert.NotEmpty(milestones);
        Assert.All(milestones, m => Assert.True(Given.Calendar.IsWorkingDay(m.DueDate), $"{m.DueDate} is a day off"));
    }

    [Fact]
    public void Assignments_name_an_office_of_the_unit_and_one_of_several_people()
    {
        var assigned = Plan.Issues.SelectMany(i => i.Events).OfType<IssueAssigned>().ToList();
        Assert.True(assigned.Select(a => a.ResponsibleOffice).Distinct().Count() >= 8);
        Assert.True(assigned.Select(a => a.ResponsiblePerson).Distinct().Count() >= 30);
        // The office is one of the unit's: a governance centre's 综治办 is never a social affairs office's.
        var offices = Given.References.Towns.SelectMany(t => t.Offices).ToDictionary(o => o.Id, o => o.Kind);
        Assert.All(assigned.GroupBy(a => a.ResponsibleOffice), g => Assert.Single(g.Select(a => offices[a.UnitId]).Distinct()));
    }

    [Fact]
    public void Leaflets_vary_per_household_in_every_town_and_sum_to_the_published_total()
    {
        var visits = Plan.Visits.SelectMany(v => v.Events).OfType<HouseholdVisited>().ToList();
        Assert.Equal(Plan.Target.Leaflets, visits.Sum(v => v.Leaflets));
        foreach (var town in visits.GroupBy(v => v.TownId))
            Assert.True(town.Select(v => v.Leaflets).Distinct().Count() >= 3, $"{town.Key} hands out the same number to every household");
    }
}
