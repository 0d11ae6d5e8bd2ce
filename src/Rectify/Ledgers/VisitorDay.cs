using Marten.Events.Projections;
using Rectify.Calendar;
using Rectify.Issues;
using Rectify.Visits;

namespace Rectify.Ledgers;

public sealed record VisitRow(Guid VisitId, DateTimeOffset OccurredAt, string TownId, string CommunityId, string GridId,
    string HouseholdId, bool AnyoneHome, int Leaflets, IReadOnlyList<Guid> IssueIds);

/// <summary>走访人员个人台账: one visitor's visits and the issues they collected on one Asia/Shanghai day.</summary>
public sealed class VisitorDay
{
    public string Id { get; set; } = "";
    public string VisitorId { get; set; } = "";
    public DateOnly Date { get; set; }
    public List<VisitRow> Visits { get; set; } = [];
    public List<Guid> IssuesCollected { get; set; } = [];

    public static string Key(string visitorId, DateOnly date) => $"{visitorId}/{date:yyyy-MM-dd}";
    public static string Key(string visitorId, DateTimeOffset at) => Key(visitorId, WorkingCalendar.ShanghaiDate(at));
}

/// <summary>Visits per visitor per day: a multi-stream projection, the natural fit for a day's personal ledger.</summary>
public sealed class VisitorDayProjection : MultiStreamProjection<VisitorDay, string>
{
    public VisitorDayProjection()
    {
        Identity<HouseholdVisited>(e => VisitorDay.Key(e.VisitorId, e.OccurredAt));
        Identity<IssueCollected>(e => VisitorDay.Key(e.VisitorId, e.OccurredAt));
    }

    public void Apply(VisitorDay day, HouseholdVisited e)
    {
        Stamp(day, e.VisitorId, e.OccurredAt);
        day.Visits.Add(new VisitRow(e.VisitId, e.OccurredAt, e.TownId, e.CommunityId, e.GridId, e.HouseholdId, e.AnyoneHome, e.Leaflets, e.IssueIds));
    }

    public void Apply(VisitorDay day, IssueCollected e)
    {
        Stamp(day, e.VisitorId, e.OccurredAt);
        if (!day.IssuesCollected.Contains(e.IssueId)) day.IssuesCollected.Add(e.IssueId);
    }

    private static void Stamp(VisitorDay day, string visitorId, DateTimeOffset at)
    {
        day.Id = VisitorDay.Key(visitorId, at);
        day.VisitorId = visitorId;
        day.Date = WorkingCalendar.ShanghaiDate(at);
    }
}
