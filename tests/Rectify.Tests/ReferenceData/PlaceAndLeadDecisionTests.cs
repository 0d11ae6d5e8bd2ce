using Rectify.Identity;
using Rectify.ReferenceData;
using Rectify.ReferenceData.Changing;
using Rectify.Tests.Lifecycle;

namespace Rectify.Tests.ReferenceData;

/// <summary>Given the imported reference data, when an admin renames or ends a place or moves a category's lead, then these events or this refusal.</summary>
public sealed class PlaceAndLeadDecisionTests
{
    private static readonly DateOnly Today = new(2026, 12, 2);
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.FromHours(8));

    private static ReferenceTimeline Timeline()
    {
        var file = DistrictReferenceData.ReadFile(Path.Combine(AppContext.BaseDirectory, "ReferenceData", DistrictReferenceData.FileName));
        return ReferenceTimeline.Of([(1L, new ReferenceDataImported("reference-data.json", "x", file, Actor.Rectify, Now.AddDays(-30)))]);
    }

    private static ChangeContext At(DateOnly from) => new(Given.Admin, Now, Today, from, "区划调整");

    private static void Then(ReferenceTimeline timeline, Outcome outcome)
    {
        var accepted = Assert.IsType<Outcome.Accepted>(outcome);
        foreach (var e in accepted.Events) timeline.Apply(timeline.StreamVersion + 1, e);
    }

    [Fact]
    public void A_town_renamed_from_a_day_keeps_its_id_and_its_old_name_before()
    {
        var timeline = Timeline();
        var from = Today.AddDays(2);
        Then(timeline, PlaceChanges.Decide(new RenameTown("qicun", "齐村街道", "Qicun Subdistrict"), At(from), timeline));

        Assert.Equal("齐村镇", timeline.AsOf(from.AddDays(-1)).FindTown("qicun")!.Name);
        Assert.Equal("齐村街道", timeline.AsOf(from).FindTown("qicun")!.Name);
        Assert.Equal("Qicun Subdistrict", timeline.AsOf(from).FindTown("qicun")!.NameEn);
        Assert.NotEmpty(timeline.AsOf(from).FindTown("qicun")!.Communities);
        Assert.Equal(["reference-data-imported", "town-renamed"], timeline.HistoryOf("town", "qicun").Select(h => h.Type));
        Assert.IsType<Outcome.Missing>(PlaceChanges.Decide(new RenameTown("nowhere", "x", null), At(from), timeline));
    }

    [Fact]
    public void A_community_with_grids_in_effect_cannot_end_and_ends_once_its_grids_have()
    {
        var timeline = Timeline();
        const string community = "qicun-qicun";
        var grids = timeline.GridsOf(community).Select(g => g.Id).ToList();
        var from = Today.AddDays(5);

        var refused = Assert.IsType<Outcome.Conflict>(PlaceChanges.Decide(new EndCommunity(community), At(from), timeline));
        foreach (var grid in grids) Assert.Contains(grid, refused.Detail);

        Then(timeline, PlaceChanges.Decide(new RenameCommunity(community, "齐村村（合并）"), At(Today.AddDays(1)), timeline));
        foreach (var grid in grids) Then(timeline, PlaceChanges.Decide(new EndGrid(grid), At(from), timeline));
        // A grid ending later than the community would be orphaned for those days.
        Assert.IsType<Outcome.Conflict>(PlaceChanges.Decide(new EndCommunity(community), At(from.AddDays(-1)), timeline));
        Then(timeline, PlaceChanges.Decide(new EndCommunity(community), At(from), timeline));

        var before = timeline.AsOf(from.AddDays(-1)).FindTown("qicun")!.Communities.Single(c => c.Id == community);
        Assert.Equal("齐村村（合并）", before.Name);
        Assert.Equal(grids, before.Grids.Select(g => g.Id));
        Assert.DoesNotContain(timeline.AsOf(from).FindTown("qicun")!.Communities, c => c.Id == community);
        Assert.IsType<Outcome.Conflict>(PlaceChanges.Decide(new RenameCommunity(community, "又改"), At(from.AddDays(3)), timeline));
        Assert.IsType<Outcome.Conflict>(PlaceChanges.Decide(new EndCommunity(community), At(from.AddDays(3)), timeline));
    }

    [Fact]
    public void A_grid_renamed_then_ended_shows_each_name_per_day_and_an_ended_grid_takes_no_change()
    {
        var timeline = Timeline();
        var grid = timeline.GridsOf("qicun-qicun").First().Id;
        Then(timeline, PlaceChanges.Decide(new RenameGrid(grid, "东片网格"), At(Today.AddDays(1)), timeline));
        Then(timeline, PlaceChanges.Decide(new EndGrid(grid), At(Today.AddDays(4)), timeline));

        Assert.Equal("东片网格", timeline.AsOf(Today.AddDays(3)).FindGrid(grid)!.Value.Grid.Name);
        Assert.NotEqual("东片网格", timeline.AsOf(Today).FindGrid(grid)!.Value.Grid.Name);
        Assert.Null(timeline.AsOf(Today.AddDays(4)).FindGrid(grid));
        Assert.IsType<Outcome.Conflict>(PlaceChanges.Decide(new RenameGrid(grid, "西片"), At(Today.AddDays(2)), timeline));
        Assert.IsType<Outcome.Conflict>(PlaceChanges.Decide(new EndGrid(grid), At(Today.AddDays(5)), timeline));
        Assert.IsType<Outcome.Missing>(PlaceChanges.Decide(new EndGrid("no-grid"), At(Today), timeline));
        Assert.Equal(["reference-data-imported", "grid-renamed", "grid-ended"], timeline.HistoryOf("grid", grid).Select(h => h.Type));
    }

    [Fact]
    public void A_categorys_lead_moves_from_its_day_and_a_department_may_end_only_once_it_leads_nothing()
    {
        var timeline = Timeline();
        Then(timeline, UnitChanges.Decide(new AddUnit("environment-office", UnitKind.Department, null, "区人居环境办", null, "department"), At(Today), timeline));
        var from = Today.AddDays(3);

        Then(timeline, CategoryLeadChanges.Decide(new ChangeCategoryLead("living-environment", "environment-office"), At(from), timeline));
        Assert.Equal("housing", timeline.AsOf(from.AddDays(-1)).FindCategory("living-environment")!.LeadDepartmentId);
        Assert.Equal("environment-office", timeline.AsOf(from).FindCategory("living-environment")!.LeadDepartmentId);
        Assert.Equal(["living-environment"], CategoryLeadChanges.LedBy(timeline, "housing", from.AddDays(-1)));
        Assert.Empty(CategoryLeadChanges.LedBy(timeline, "housing", from));

        // The new lead cannot end, even before it takes over: the office first moves the lead.
        var refused = Assert.IsType<Outcome.Conflict>(UnitChanges.Decide(new EndUnit("environment-office"), At(Today.AddDays(1)), timeline));
        Assert.Contains("living-environment", refused.Detail);
        Assert.IsType<Outcome.Conflict>(CategoryLeadChanges.Decide(new ChangeCategoryLead("living-environment", "environment-office"), At(from), timeline));

        Then(timeline, CategoryLeadChanges.Decide(new ChangeCategoryLead("living-environment", "urban-management"), At(from.AddDays(7)), timeline));
        Assert.IsType<Outcome.Accepted>(UnitChanges.Decide(new EndUnit("environment-office"), At(from.AddDays(7)), timeline));
        Assert.IsType<Outcome.Conflict>(UnitChanges.Decide(new EndUnit("environment-office"), At(from.AddDays(6)), timeline));

        Assert.IsType<Outcome.Missing>(CategoryLeadChanges.Decide(new ChangeCategoryLead("living-environment", "no-such"), At(from), timeline));
        Assert.IsType<Outcome.Missing>(CategoryLeadChanges.Decide(new ChangeCategoryLead("no-such", "housing"), At(from), timeline));
        Assert.Equal(["reference-data-imported", "category-lead-changed", "category-lead-changed"],
            timeline.HistoryOf("category", "living-environment").Select(h => h.Type));
    }

    [Fact]
    public void A_lead_moves_only_to_a_department_in_effect_from_that_day_on()
    {
        var timeline = Timeline();
        Then(timeline, UnitChanges.Decide(new AddUnit("new-office", UnitKind.Department, null, "新办", null, "department"), At(Today.AddDays(5)), timeline));
        Assert.IsType<Outcome.Conflict>(CategoryLeadChanges.Decide(new ChangeCategoryLead("other", "new-office"), At(Today.AddDays(4)), timeline));
        Assert.IsType<Outcome.Accepted>(CategoryLeadChanges.Decide(new ChangeCategoryLead("other", "new-office"), At(Today.AddDays(5)), timeline));
        Then(timeline, UnitChanges.Decide(new EndUnit("new-office"), At(Today.AddDays(9)), timeline));
        Assert.IsType<Outcome.Conflict>(CategoryLeadChanges.Decide(new ChangeCategoryLead("other", "new-office"), At(Today.AddDays(6)), timeline));
    }
}
