using Rectify.Identity;

namespace Rectify.Visits;

/// <summary>
/// 入户走访: a visitor called at a household, found someone home or not, handed out leaflets, collected issues.
/// RegisteredOnSpot: the household was not in the grid's register and this visit registered it (null before registers).
/// </summary>
public sealed record HouseholdVisited(
    Guid VisitId, string TownId, string CommunityId, string GridId, string HouseholdId, string VisitorId,
    bool AnyoneHome, int Leaflets, IReadOnlyList<Guid> IssueIds, Actor Actor, DateTimeOffset OccurredAt,
    bool? RegisteredOnSpot = null);

/// <summary>社情民意微信群: a community WeChat group set up to reach residents.</summary>
public sealed record WechatGroupRegistered(
    Guid GroupId, string TownId, string CommunityId, string Name, int Members, Actor Actor, DateTimeOffset OccurredAt);

/// <summary>Policy posts (惠民政策) put into a group; one event may record several posts of a day.</summary>
public sealed record PolicyPosted(Guid GroupId, string TownId, int Posts, string? Title, Actor Actor, DateTimeOffset OccurredAt);

public static class VisitEventNames
{
    public static readonly IReadOnlyDictionary<Type, string> All = new Dictionary<Type, string>
    {
        [typeof(HouseholdVisited)] = "household_visited.v1",
        [typeof(WechatGroupRegistered)] = "wechat_group_registered.v1",
        [typeof(PolicyPosted)] = "wechat_policy_posted.v1"
    };
}
