namespace Rectify.Visits.WechatGroups;

/// <summary>A community WeChat group and its policy posts, folded from its stream (inline snapshot).</summary>
public sealed record WechatGroup
{
    public Guid Id { get; init; }
    public long Version { get; init; }
    public string TownId { get; init; } = "";
    public string CommunityId { get; init; } = "";
    public string Name { get; init; } = "";
    public int Members { get; init; }
    public int Posts { get; init; }
    public DateTimeOffset RegisteredAt { get; init; }

    public static WechatGroup Create(WechatGroupRegistered e) => new()
    {
        Id = e.GroupId, TownId = e.TownId, CommunityId = e.CommunityId, Name = e.Name, Members = e.Members, RegisteredAt = e.OccurredAt
    };

    public WechatGroup Apply(PolicyPosted e) => this with { Posts = Posts + e.Posts };
}
