using Marten.Events.Projections;
using Rectify.Calendar;
using Rectify.Visits;

namespace Rectify.Statistics;

/// <summary>
/// A town's activity on one Asia/Shanghai day: the daily bucket that visit and group figures are summed from, whole
/// for the days before the moment asked about, act by act for the day of that moment.
/// </summary>
public sealed class TownDay
{
    public string Id { get; set; } = "";
    public string TownId { get; set; } = "";
    public DateOnly Date { get; set; }
    public int Visits { get; set; }
    public int Leaflets { get; set; }
    public int WechatGroups { get; set; }
    public int PolicyPosts { get; set; }
    /// <summary>Each act of the day with its time: figures as of a moment inside the day count only the acts by then.</summary>
    public List<TownAct> Acts { get; set; } = [];

    public static string Key(string townId, DateTimeOffset at) => $"{townId}/{WorkingCalendar.ShanghaiDate(at):yyyy-MM-dd}";
}

public sealed record TownAct(DateTimeOffset At, int Visits, int Leaflets, int WechatGroups, int PolicyPosts);

public sealed class TownDayProjection : MultiStreamProjection<TownDay, string>
{
    public TownDayProjection()
    {
        Identity<HouseholdVisited>(e => TownDay.Key(e.TownId, e.OccurredAt));
        Identity<WechatGroupRegistered>(e => TownDay.Key(e.TownId, e.OccurredAt));
        Identity<PolicyPosted>(e => TownDay.Key(e.TownId, e.OccurredAt));
    }

    public void Apply(TownDay day, HouseholdVisited e)
    {
        Stamp(day, e.TownId, e.OccurredAt);
        day.Visits++;
        day.Leaflets += e.Leaflets;
        day.Acts.Add(new TownAct(e.OccurredAt, 1, e.Leaflets, 0, 0));
    }

    public void Apply(TownDay day, WechatGroupRegistered e)
    {
        Stamp(day, e.TownId, e.OccurredAt);
        day.WechatGroups++;
        day.Acts.Add(new TownAct(e.OccurredAt, 0, 0, 1, 0));
    }

    public void Apply(TownDay day, PolicyPosted e)
    {
        Stamp(day, e.TownId, e.OccurredAt);
        day.PolicyPosts += e.Posts;
        day.Acts.Add(new TownAct(e.OccurredAt, 0, 0, 0, e.Posts));
    }

    private static void Stamp(TownDay day, string townId, DateTimeOffset at)
    {
        day.Id = TownDay.Key(townId, at);
        day.TownId = townId;
        day.Date = WorkingCalendar.ShanghaiDate(at);
    }
}
