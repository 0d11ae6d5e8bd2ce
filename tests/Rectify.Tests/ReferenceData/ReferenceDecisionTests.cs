using Rectify.Identity;
using Rectify.ReferenceData;
using Rectify.ReferenceData.Changing;
using Rectify.Tests.Lifecycle;

namespace Rectify.Tests.ReferenceData;

/// <summary>Given the imported reference data and some changes, when an admin decides another, then these events or this refusal.</summary>
public sealed class ReferenceDecisionTests
{
    private static readonly DateOnly Today = new(2026, 12, 2);
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.FromHours(8));

    private static ReferenceTimeline Timeline(params object[] changes)
    {
        var file = DistrictReferenceData.ReadFile(Path.Combine(AppContext.BaseDirectory, "ReferenceData", DistrictReferenceData.FileName));
        var events = new List<object> { new ReferenceDataImported("reference-data.json", "x", file, Actor.Rectify, Now.AddDays(-30)) };
        events.AddRange(changes);
        return ReferenceTimeline.Of(events.Select((e, i) => ((long)i + 1, e)));
    }

    private static ChangeContext At(DateOnly from) => new(Given.Admin, Now, Today, from, "督导办通知");

    private static ReferenceTimeline Then(ReferenceTimeline timeline, Outcome outcome)
    {
        var accepted = Assert.IsType<Outcome.Accepted>(outcome);
        foreach (var e in accepted.Events) timeline.Apply(timeline.StreamVersion + 1, e);
        return timeline;
    }

    [Fact]
    public void A_newer_district_wide_rule_reaches_a_town_with_an_older_rule_of_its_own()
    {
        var timeline = Timeline(
            new RoutingRuleAdded("le-qicun", new DateOnly(2026, 1, 1), "living-environment", "qicun", "economy", null, "镇里自定", Given.Admin, Now.AddDays(-20)));
        Assert.Equal("qicun-economy", timeline.AsOf(Today).TownOfficeFor("qicun", "living-environment", Today)!.Value.Unit.Id);

        var from = Today.AddDays(3);
        Then(timeline, RoutingRuleChanges.Decide(new AddRoutingRule("le-2026-12", "living-environment", null, "governance", null), At(from), timeline));

        var data = timeline.AsOf(from);
        Assert.Equal("qicun-economy", data.TownOfficeFor("qicun", "living-environment", from.AddDays(-1))!.Value.Unit.Id);
        Assert.Equal("qicun-governance", data.TownOfficeFor("qicun", "living-environment", from)!.Value.Unit.Id);
        Assert.Equal("mengzhuang-governance", data.TownOfficeFor("mengzhuang", "living-environment", from)!.Value.Unit.Id);
    }

    [Fact]
    public void On_the_same_day_a_towns_own_rule_wins_over_a_district_wide_one()
    {
        var from = Today.AddDays(1);
        var timeline = Timeline(
            new RoutingRuleAdded("le-district", from, "living-environment", null, "governance", null, "全区调整", Given.Admin, Now),
            new RoutingRuleAdded("le-qicun", from, "living-environment", "qicun", "economy", null, "镇里自定", Given.Admin, Now));

        var data = timeline.AsOf(from);
        Assert.Equal("qicun-economy", data.TownOfficeFor("qicun", "living-environment", from)!.Value.Unit.Id);
        Assert.Equal("mengzhuang-governance", data.TownOfficeFor("mengzhuang", "living-environment", from)!.Value.Unit.Id);
    }

    [Fact]
    public void A_change_is_a_new_version_of_the_same_rule_and_an_end_stops_it()
    {
        var timeline = Timeline();
        var rule = timeline.Rule("living-environment-2022-05-27")!;
        Assert.Equal(1, rule.Version);

        Then(timeline, RoutingRuleChanges.Decide(new ChangeRoutingRule(rule.Id, 1, "governance", "urban-management"), At(Today.AddDays(1)), timeline));
        var versions = timeline.AllRuleVersions().Where(r => r.Id == rule.Id).ToList();
        Assert.Equal([1, 2], versions.Select(v => v.Version));
        Assert.Equal(Today.AddDays(1), versions[0].EffectiveTo);
        var data = timeline.AsOf(Today);
        Assert.Equal("housing", data.DepartmentFor("qicun", "living-environment", Today)!.Value.Department.Id);
        Assert.Equal("urban-management", data.DepartmentFor("qicun", "living-environment", Today.AddDays(1))!.Value.Department.Id);

        // A change against version 1 now is stale.
        Assert.IsType<Outcome.Conflict>(RoutingRuleChanges.Decide(new ChangeRoutingRule(rule.Id, 1, "governance", null), At(Today.AddDays(5)), timeline));

        Then(timeline, RoutingRuleChanges.Decide(new EndRoutingRule(rule.Id, 2), At(Today.AddDays(10)), timeline));
        Assert.Null(timeline.AsOf(Today).DepartmentFor("qicun", "living-environment", Today.AddDays(10)));
        Assert.IsType<Outcome.Conflict>(RoutingRuleChanges.Decide(new ChangeRoutingRule(rule.Id, 2, "governance", null), At(Today.AddDays(20)), timeline));
    }

    [Fact]
    public void A_change_dated_on_or_before_the_current_versions_day_is_refused_naming_effectiveFrom()
    {
        var timeline = Timeline();
        Then(timeline, RoutingRuleChanges.Decide(new ChangeRoutingRule("living-environment-2022-05-27", 1, "governance", null), At(Today.AddDays(5)), timeline));

        var outcome = RoutingRuleChanges.Decide(new ChangeRoutingRule("living-environment-2022-05-27", 2, "enforcement", null), At(Today.AddDays(5)), timeline);

        Assert.Equal(["effectiveFrom"], Assert.IsType<Outcome.Invalid>(outcome).Errors.Keys);
    }

    [Fact]
    public void A_rule_must_name_what_exists_on_its_day_each_bad_field_named()
    {
        var timeline = Timeline();

        var outcome = RoutingRuleChanges.Decide(new AddRoutingRule(null, "weather", "atlantis", null, "no-such-bureau"), At(Today), timeline);

        Assert.Equal(["categoryId", "departmentId", "townId"], Assert.IsType<Outcome.Invalid>(outcome).Errors.Keys.Order());
        Assert.IsType<Outcome.Invalid>(RoutingRuleChanges.Decide(new AddRoutingRule(null, "other", null, "harbour-office", null), At(Today), timeline));
        Assert.IsType<Outcome.Conflict>(RoutingRuleChanges.Decide(new AddRoutingRule("qicun", "other", null, "governance", null), At(Today), timeline));
        Assert.IsType<Outcome.Missing>(RoutingRuleChanges.Decide(new ChangeRoutingRule("nope", 1, "governance", null), At(Today), timeline));
    }

    [Fact]
    public void A_rename_applies_from_its_day_and_an_ended_unit_is_gone_from_that_day()
    {
        var timeline = Timeline();
        Then(timeline, UnitChanges.Decide(new RenameUnit("civil-affairs", "区民政局（新）", null), At(Today.AddDays(2)), timeline));
        Then(timeline, UnitChanges.Decide(new EndUnit("civil-affairs"), At(Today.AddDays(30)), timeline));

        Assert.Equal("区民政局", timeline.AsOf(Today).FindDepartment("civil-affairs")!.Name);
        Assert.Equal("区民政局（新）", timeline.AsOf(Today.AddDays(2)).FindDepartment("civil-affairs")!.Name);
        Assert.Null(timeline.AsOf(Today.AddDays(30)).FindDepartment("civil-affairs"));
        Assert.IsType<Outcome.Conflict>(UnitChanges.Decide(new RenameUnit("civil-affairs", "x", null), At(Today.AddDays(40)), timeline));
    }

    [Fact]
    public void A_unit_that_rules_still_send_to_cannot_end_until_they_change()
    {
        var timeline = Timeline();

        var outcome = UnitChanges.Decide(new EndUnit("housing"), At(Today.AddDays(1)), timeline);
        Assert.Contains("living-environment-2022-05-27", Assert.IsType<Outcome.Conflict>(outcome).Detail);

        var officeOutcome = UnitChanges.Decide(new EndUnit("qicun-enforcement"), At(Today.AddDays(1)), timeline);
        Assert.IsType<Outcome.Conflict>(officeOutcome);
    }

    [Fact]
    public void A_new_office_opens_on_its_day_and_a_town_has_one_office_of_each_kind()
    {
        var timeline = Timeline();
        var from = Today.AddDays(7);
        Then(timeline, UnitChanges.Decide(new AddUnit("qicun-water", UnitKind.TownOffice, "qicun", "齐村镇水务站", null, "water"), At(from), timeline));

        Assert.Null(timeline.AsOf(Today).FindUnit("qicun-water"));
        Assert.Equal("qicun", timeline.AsOf(from).FindUnit("qicun-water")!.TownId);
        Assert.IsType<Outcome.Conflict>(UnitChanges.Decide(new AddUnit("qicun-water-2", UnitKind.TownOffice, "qicun", "水务", null, "water"), At(from), timeline));
        Assert.IsType<Outcome.Missing>(UnitChanges.Decide(new AddUnit("x-water", UnitKind.TownOffice, "atlantis", "水务", null, "water"), At(from), timeline));
        // A rule for the new kind only from the office's day on.
        Assert.IsType<Outcome.Invalid>(RoutingRuleChanges.Decide(new AddRoutingRule(null, "infrastructure", "qicun", "water", null), At(Today), timeline));
        Then(timeline, RoutingRuleChanges.Decide(new AddRoutingRule(null, "infrastructure", "qicun", "water", null), At(from), timeline));
        Assert.Equal("qicun-water", timeline.AsOf(from).TownOfficeFor("qicun", "infrastructure", from)!.Value.Unit.Id);
    }

    [Fact]
    public void The_shipped_counts_are_generated_registers_and_a_replacement_applies_from_its_day()
    {
        var timeline = Timeline();
        var grid = "qicun-qicun-g01";
        var count = timeline.AsOf(Today).RegisterOf(grid)!.Count;
        Assert.True(timeline.AsOf(Today).RegisterOf(grid)!.Contains("0001"));
        Assert.True(timeline.AsOf(Today).RegisterOf(grid)!.Contains(HouseholdRegister.GeneratedId(count)));
        Assert.False(timeline.AsOf(Today).RegisterOf(grid)!.Contains(HouseholdRegister.GeneratedId(count + 1)));
        Assert.False(timeline.AsOf(Today).RegisterOf(grid)!.Contains("1"));

        var register = new HouseholdRegister(0, [new Household("3-1-101", "齐村 3 号楼 1 单元 101"), new Household("3-1-102", null)]);
        Then(timeline, GridChanges.Decide(new ChangeHouseholds(grid, register, "csv"), At(Today.AddDays(1)), timeline));

        Assert.Equal(count, timeline.AsOf(Today).FindGrid(grid)!.Value.Grid.Households);
        Assert.Equal(2, timeline.AsOf(Today.AddDays(1)).FindGrid(grid)!.Value.Grid.Households);
        Assert.True(timeline.AsOf(Today.AddDays(1)).RegisterOf(grid)!.Contains("3-1-101"));
        Assert.False(timeline.AsOf(Today.AddDays(1)).RegisterOf(grid)!.Contains("0001"));
        Assert.IsType<Outcome.Missing>(GridChanges.Decide(new ChangeHouseholds("nope", register, "csv"), At(Today), timeline));
    }

    [Fact]
    public void The_history_says_who_when_and_why_for_each_item()
    {
        var timeline = Timeline();
        Then(timeline, UnitChanges.Decide(new RenameUnit("civil-affairs", "区民政局（新）", null), At(Today.AddDays(2)), timeline));

        var history = timeline.HistoryOf("unit", "civil-affairs");

        Assert.Equal(["reference-data-imported", "unit-renamed"], history.Select(h => h.Type));
        Assert.Equal("督导办通知", history[1].Reason);
        Assert.Equal(Given.Admin, history[1].Actor);
        Assert.Equal(Today.AddDays(2), history[1].EffectiveFrom);
    }
}
