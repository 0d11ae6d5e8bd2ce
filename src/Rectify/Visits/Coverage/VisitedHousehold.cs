using Marten.Events.Projections;
using Rectify.Calendar;

namespace Rectify.Visits.Coverage;

/// <summary>A household visited at least once: revisits add to Visits but the household counts once for coverage.</summary>
public sealed class VisitedHousehold
{
    public string Id { get; set; } = "";
    public string TownId { get; set; } = "";
    public string CommunityId { get; set; } = "";
    public string GridId { get; set; } = "";
    public string HouseholdId { get; set; } = "";
    public DateOnly FirstVisitedOn { get; set; }
    public DateTimeOffset FirstVisitedAt { get; set; }
    public int Visits { get; set; }

    public static string Key(string gridId, string householdId) => $"{gridId}/{householdId}";
}

public sealed class VisitedHouseholdProjection : MultiStreamProjection<VisitedHousehold, string>
{
    public VisitedHouseholdProjection() => Identity<HouseholdVisited>(e => VisitedHousehold.Key(e.GridId, e.HouseholdId));

    public void Apply(VisitedHousehold household, HouseholdVisited e)
    {
        if (household.Visits == 0 || e.OccurredAt < household.FirstVisitedAt)
        {
            household.FirstVisitedAt = e.OccurredAt;
            household.FirstVisitedOn = WorkingCalendar.ShanghaiDate(e.OccurredAt);
        }
        household.Id = VisitedHousehold.Key(e.GridId, e.HouseholdId);
        household.TownId = e.TownId;
        household.CommunityId = e.CommunityId;
        household.GridId = e.GridId;
        household.HouseholdId = e.HouseholdId;
        household.Visits++;
    }
}
