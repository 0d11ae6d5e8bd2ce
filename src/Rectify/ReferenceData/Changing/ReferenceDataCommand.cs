using JasperFx.CommandLine;
using Marten;
using Rectify.Calendar;
using Rectify.Identity;

namespace Rectify.ReferenceData.Changing;

public class ReferenceDataInput : NetCoreInput
{
    [Description("add-rule, change-rule, end-rule, add-department, add-office, rename-unit, end-unit, add-community, add-grid, set-households, import-households, rename-town, rename-community, end-community, rename-grid, end-grid, set-category-lead, history")]
    public string Action { get; set; } = "";

    [Description("The id of the rule, unit, town, community, grid or category acted on (or added)")] [FlagAlias("id")] public string? IdFlag { get; set; }
    [Description("Why (required for every change; recorded in the history)")] [FlagAlias("reason")] public string? ReasonFlag { get; set; }
    [Description("From which day (yyyy-MM-dd, Asia/Shanghai) the change applies; default today, never earlier")] [FlagAlias("effective-from")] public string? EffectiveFromFlag { get; set; }
    [Description("Recorded as the actor (the admin's name)")] [FlagAlias("actor")] public string ActorFlag { get; set; } = "ops-cli";
    [Description("Category of a rule")] [FlagAlias("category")] public string? CategoryFlag { get; set; }
    [Description("Town of a rule (none: district-wide), of an office or of a community")] [FlagAlias("town")] public string? TownFlag { get; set; }
    [Description("Office kind a rule sends to, or the kind of a new office")] [FlagAlias("office-kind")] public string? OfficeKindFlag { get; set; }
    [Description("Department a rule escalates to, or the new lead department of a category")] [FlagAlias("department")] public string? DepartmentFlag { get; set; }
    [Description("The rule version a change or end is made against")] [FlagAlias("version")] public int VersionFlag { get; set; }
    [Description("Name of a new unit, community or grid, or a unit's new name")] [FlagAlias("name")] public string? NameFlag { get; set; }
    [Description("English name of a unit")] [FlagAlias("name-en")] public string? NameEnFlag { get; set; }
    [Description("Community of a new grid")] [FlagAlias("community")] public string? CommunityFlag { get; set; }
    [Description("A grid's number of households (ids 0001..n are generated)")] [FlagAlias("households")] public int HouseholdsFlag { get; set; } = -1;
    [Description("A household register file: .csv or .xlsx with a householdId (户号) column and optionally address (地址)")] [FlagAlias("file")] public string? FileFlag { get; set; }
}

[Description("Changes reference data (routing rules, units, communities, grids, household registers) as an admin would through the API", Name = "reference-data")]
public class ReferenceDataCommand : JasperFxAsyncCommand<ReferenceDataInput>
{
    public ReferenceDataCommand()
    {
        Usage("Change or show reference data").Arguments(x => x.Action);
    }

    public override async Task<bool> Execute(ReferenceDataInput input)
    {
        using var host = input.BuildHost();
        var cache = host.Services.GetRequiredService<ReferenceDataCache>();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var clock = host.Services.GetRequiredService<TimeProvider>();
        await cache.RefreshAsync(CancellationToken.None);

        if (input.Action == "history")
        {
            var rows = input.IdFlag is null ? cache.Timeline.History : cache.Timeline.History.Where(h => h.ItemId == input.IdFlag).ToList();
            foreach (var h in rows)
                Console.WriteLine($"{h.Version,5} {h.OccurredAt:yyyy-MM-dd HH:mm} {h.Type,-30} {h.ItemId,-36} from {(h.EffectiveFrom == DateOnly.MinValue ? "start" : h.EffectiveFrom.ToString("yyyy-MM-dd"))} by {h.Actor.ClientName}: {h.Reason}");
            return true;
        }

        var today = cache.Today;
        var from = today;
        if (input.EffectiveFromFlag is not null && !DateOnly.TryParseExact(input.EffectiveFromFlag, "yyyy-MM-dd", out from))
            return Fail("--effective-from must be a date written yyyy-MM-dd.");
        if (from < today) return Fail($"--effective-from must not be before today ({today:yyyy-MM-dd}): changes are never retroactive.");
        if (string.IsNullOrWhiteSpace(input.ReasonFlag)) return Fail("--reason is required: every change records why.");

        Func<ChangeContext, ReferenceTimeline, Outcome>? decide = input.Action switch
        {
            "add-rule" when input.CategoryFlag is not null =>
                (at, t) => RoutingRuleChanges.Decide(new AddRoutingRule(input.IdFlag, input.CategoryFlag, input.TownFlag, input.OfficeKindFlag, input.DepartmentFlag), at, t),
            "change-rule" when input.IdFlag is not null =>
                (at, t) => RoutingRuleChanges.Decide(new ChangeRoutingRule(input.IdFlag, input.VersionFlag, input.OfficeKindFlag, input.DepartmentFlag), at, t),
            "end-rule" when input.IdFlag is not null =>
                (at, t) => RoutingRuleChanges.Decide(new EndRoutingRule(input.IdFlag, input.VersionFlag), at, t),
            "add-department" when input.IdFlag is not null && input.NameFlag is not null =>
                (at, t) => UnitChanges.Decide(new AddUnit(input.IdFlag, UnitKind.Department, null, input.NameFlag, input.NameEnFlag, "department"), at, t),
            "add-office" when input.IdFlag is not null && input.NameFlag is not null && input.TownFlag is not null && input.OfficeKindFlag is not null =>
                (at, t) => UnitChanges.Decide(new AddUnit(input.IdFlag, UnitKind.TownOffice, input.TownFlag, input.NameFlag, input.NameEnFlag, input.OfficeKindFlag), at, t),
            "rename-unit" when input.IdFlag is not null && input.NameFlag is not null =>
                (at, t) => UnitChanges.Decide(new RenameUnit(input.IdFlag, input.NameFlag, input.NameEnFlag), at, t),
            "end-unit" when input.IdFlag is not null => (at, t) => UnitChanges.Decide(new EndUnit(input.IdFlag), at, t),
            "add-community" when input.IdFlag is not null && input.NameFlag is not null && input.TownFlag is not null =>
                (at, t) => GridChanges.Decide(new AddCommunity(input.IdFlag, input.TownFlag, input.NameFlag), at, t),
            "add-grid" when input.IdFlag is not null && input.NameFlag is not null && input.CommunityFlag is not null && input.HouseholdsFlag >= 0 =>
                (at, t) => GridChanges.Decide(new AddGrid(input.IdFlag, input.CommunityFlag, input.NameFlag, HouseholdRegister.Of(input.HouseholdsFlag)), at, t),
            "set-households" when input.IdFlag is not null && input.HouseholdsFlag >= 0 =>
                (at, t) => GridChanges.Decide(new ChangeHouseholds(input.IdFlag, HouseholdRegister.Of(input.HouseholdsFlag), "cli"), at, t),
            "rename-town" when input.IdFlag is not null && input.NameFlag is not null =>
                (at, t) => PlaceChanges.Decide(new RenameTown(input.IdFlag, input.NameFlag, input.NameEnFlag), at, t),
            "rename-community" when input.IdFlag is not null && input.NameFlag is not null =>
                (at, t) => PlaceChanges.Decide(new RenameCommunity(input.IdFlag, input.NameFlag), at, t),
            "end-community" when input.IdFlag is not null => (at, t) => PlaceChanges.Decide(new EndCommunity(input.IdFlag), at, t),
            "rename-grid" when input.IdFlag is not null && input.NameFlag is not null =>
                (at, t) => PlaceChanges.Decide(new RenameGrid(input.IdFlag, input.NameFlag), at, t),
            "end-grid" when input.IdFlag is not null => (at, t) => PlaceChanges.Decide(new EndGrid(input.IdFlag), at, t),
            "set-category-lead" when input.IdFlag is not null && input.DepartmentFlag is not null =>
                (at, t) => CategoryLeadChanges.Decide(new ChangeCategoryLead(input.IdFlag, input.DepartmentFlag), at, t),
            _ => null
        };

        if (input.Action == "import-households" && input.IdFlag is not null && input.FileFlag is not null)
        {
            if (!File.Exists(input.FileFlag)) return Fail($"No file {input.FileFlag}.");
            await using var file = File.OpenRead(input.FileFlag);
            var xlsx = input.FileFlag.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase);
            var (households, problems) = HouseholdRegisterFile.Read(file, xlsx);
            if (problems.Count > 0) return Fail(string.Join(Environment.NewLine, problems));
            var register = new HouseholdRegister(0, households);
            decide = (at, t) => GridChanges.Decide(new ChangeHouseholds(input.IdFlag, register, xlsx ? "xlsx" : "csv"), at, t);
        }

        if (decide is null) return Fail($"Unknown action '{input.Action}' or missing flags for it (see `help reference-data` and docs/reference-data.md).");

        var actor = new Actor(input.ActorFlag, Role.Admin, null, null);
        await using var session = store.LightweightSession();
        var (outcome, after) = await ReferenceDataChange.Apply(session, cache,
            new ChangeContext(actor, clock.GetUtcNow(), today, from, input.ReasonFlag.Trim()), decide, CancellationToken.None);
        switch (outcome)
        {
            case Outcome.Invalid invalid: return Fail(string.Join(Environment.NewLine, invalid.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
            case Outcome.Missing missing: return Fail($"No {missing.What} with id {missing.Id}.");
            case Outcome.Conflict conflict: return Fail(conflict.Detail);
        }

        var last = after.History[^1];
        Console.WriteLine($"Recorded {last.Type} of {last.ItemId}, from {from:yyyy-MM-dd}, by {actor.ClientName}: {last.Reason}");
        if (last.ItemKind == "grid" && after.AsOf(from).FindGrid(last.ItemId) is not null) Console.WriteLine($"Households of {last.ItemId} from {from:yyyy-MM-dd}: {after.AsOf(from).RegisterOf(last.ItemId)?.Count ?? 0}");
        return true;
    }

    private static bool Fail(string message)
    {
        Console.Error.WriteLine(message);
        return false;
    }
}
