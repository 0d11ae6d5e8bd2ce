using Rectify.Issues;
using Rectify.ReferenceData;
using Rectify.Routing;
using Rectify.Tests.Lifecycle;

namespace Rectify.Tests.Routing;

/// <summary>Given/when/then on receiving a routed issue and on the routing rules.</summary>
public sealed class DeliveryTests
{
    private static readonly DateTimeOffset FridayBeforeNationalDay = new(2022, 9, 30, 10, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void Receiving_an_escalation_shows_its_acceptance_date_counted_from_the_escalation()
    {
        var issue = Given.Issue(Given.Escalated());

        var entry = Deliveries.Receive(issue, null, "housing", issue.RoutingId!.Value, FridayBeforeNationalDay, FridayBeforeNationalDay.AddDays(3), Given.Calendar, 1);

        Assert.NotNull(entry);
        Assert.Equal(issue.RoutingId, entry.Id);
        Assert.Equal(new DateOnly(2022, 10, 8), entry.AcceptBy); // the make-up Saturday, counted from the escalation
        Assert.Equal(FridayBeforeNationalDay.AddDays(3), entry.ReceivedAt);
        Assert.Equal(UnitKind.Department, entry.UnitKind);
    }

    [Fact]
    public void A_routing_already_received_stores_nothing_the_second_time()
    {
        var issue = Given.Issue(Given.Escalated());
        var first = Deliveries.Receive(issue, null, "housing", issue.RoutingId!.Value, FridayBeforeNationalDay, FridayBeforeNationalDay, Given.Calendar, 1);

        Assert.Null(Deliveries.Receive(issue, first, "housing", issue.RoutingId!.Value, FridayBeforeNationalDay, FridayBeforeNationalDay.AddHours(1), Given.Calendar, 1));
    }

    [Fact]
    public void A_delivery_for_a_routing_replaced_since_is_stale_even_to_the_same_unit()
    {
        var firstRouting = Given.Issue(Given.AssignedToTown()).RoutingId!.Value;
        var reassigned = Given.Issue([.. Given.AssignedToTown(),
            new IssueAssigned(Given.Id, "qicun-governance", UnitKind.TownOffice, "m", new DateOnly(2022, 6, 8), "o", "p", "qicun-governance",
                RoutingIds.For(Given.Id, 3), null, ActIds.For(Given.Id, 3, "deadline"), Given.TownOffice, Given.At(2))]);

        Assert.Null(Deliveries.Receive(reassigned, null, "qicun-governance", firstRouting, FridayBeforeNationalDay, FridayBeforeNationalDay, Given.Calendar, 1));
        Assert.NotNull(Deliveries.Receive(reassigned, null, "qicun-governance", reassigned.RoutingId!.Value, FridayBeforeNationalDay, FridayBeforeNationalDay, Given.Calendar, 1));
    }

    [Fact]
    public void A_delivery_naming_a_unit_that_does_not_hold_the_issue_is_stale()
    {
        var escalated = Given.Issue(Given.Escalated());

        Assert.Null(Deliveries.Receive(escalated, null, "transport", escalated.RoutingId!.Value, FridayBeforeNationalDay, FridayBeforeNationalDay, Given.Calendar, 1));
    }

    [Fact]
    public void Routing_ids_are_derived_so_a_replay_produces_the_same_events()
    {
        Assert.Equal(RoutingIds.For(Given.Id, 2), RoutingIds.For(Given.Id, 2));
        Assert.NotEqual(RoutingIds.For(Given.Id, 2), RoutingIds.For(Given.Id, 3));
    }

    [Fact]
    public void The_rule_in_effect_on_the_day_of_the_act_routes_and_a_towns_own_rule_wins()
    {
        var rules = Given.References.RoutingRules.Concat(
        [
            new RoutingRule("le-2022-07", new DateOnly(2022, 7, 1), "living-environment", null, "governance", "urban-management"),
            new RoutingRule("le-qicun-2022-08", new DateOnly(2022, 8, 1), "living-environment", "qicun", "economy", null)
        ]).ToList();
        var data = Given.References.WithRoutingRules(rules);

        Assert.Equal("qicun-enforcement", data.TownOfficeFor("qicun", "living-environment", new DateOnly(2022, 6, 30))!.Value.Unit.Id);
        Assert.Equal("qicun-governance", data.TownOfficeFor("qicun", "living-environment", new DateOnly(2022, 7, 1))!.Value.Unit.Id);
        Assert.Equal("qicun-economy", data.TownOfficeFor("qicun", "living-environment", new DateOnly(2022, 8, 1))!.Value.Unit.Id);
        Assert.Equal("mengzhuang-governance", data.TownOfficeFor("mengzhuang", "living-environment", new DateOnly(2022, 8, 1))!.Value.Unit.Id);
        Assert.Equal("housing", data.DepartmentFor("qicun", "living-environment", new DateOnly(2022, 6, 30))!.Value.Department.Id);
        Assert.Equal("urban-management", data.DepartmentFor("qicun", "living-environment", new DateOnly(2022, 8, 1))!.Value.Department.Id);
        Assert.Null(data.TownOfficeFor("qicun", "living-environment", new DateOnly(2022, 5, 1)));
    }

    [Fact]
    public void A_rule_naming_an_office_a_town_lacks_is_refused_at_start_up()
    {
        var bad = new RoutingRule("bad", new DateOnly(2022, 7, 1), "other", null, "harbour-office", null);

        var error = Assert.Throws<InvalidOperationException>(() => Given.References.WithRoutingRules([bad]));
        Assert.Contains("harbour-office", error.Message);
    }
}
