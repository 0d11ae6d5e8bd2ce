namespace Rectify.Seeding;

/// <summary>
/// The campaign's figures as the district published them (DOMAIN.md); a seeded replay at scale 1 reproduces them
/// exactly, at a smaller scale each is rounded to the nearest whole number. "500+" issues settled in the groups is
/// not exact: the replay uses 503.
/// </summary>
public sealed record PublishedFigures(
    int HouseholdsVisited, int Ledger, int Closed, int ResolvedOnSpot, int Leaflets, int WechatGroups, int PolicyPosts, int ResolvedInGroups)
{
    public static readonly PublishedFigures Campaign = new(186_276, 2_145, 1_668, 669, 252_000, 642, 19_442, 503);

    public int InProgress => Ledger - Closed;

    public PublishedFigures Scaled(double scale) => scale >= 1 ? this : new(
        Round(HouseholdsVisited, scale), Round(Ledger, scale), Round(Closed, scale), Round(ResolvedOnSpot, scale),
        Round(Leaflets, scale), Math.Max(1, Round(WechatGroups, scale)), Round(PolicyPosts, scale), Round(ResolvedInGroups, scale));

    private static int Round(int value, double scale) => (int)Math.Round(value * scale, MidpointRounding.AwayFromZero);

    /// <summary>The campaign ran from the training meeting of 27 May 2022; figures are as of the end of July.</summary>
    public static readonly DateOnly Start = new(2022, 5, 27);
    public static readonly DateOnly End = new(2022, 7, 31);
}
