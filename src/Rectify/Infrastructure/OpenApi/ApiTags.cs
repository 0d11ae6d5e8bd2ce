namespace Rectify.Infrastructure.OpenApi;

/// <summary>
/// The groups the API document and /docs list operations under, found from the route: a reader looks for "Issues" or
/// "Ledgers", not for the C# class that happens to hold the endpoint (Wolverine's default tag).
/// </summary>
public static class ApiTags
{
    public static readonly IReadOnlyList<(string Name, string Description)> All =
    [
        ("Issues", "Collecting residents' problems and moving them through their lifecycle: assign, accept, resolve, close (docs/lifecycle.md)."),
        ("Visits", "Household visits and WeChat groups: where issues are collected."),
        ("Inboxes and supervision", "Each unit's inbox and notices; overdue issues and the district's supervision notices (docs/deadlines.md)."),
        ("Ledgers", "Daily ledgers of visitors, towns, departments and domains, with CSV and XLSX exports (docs/ledgers.md)."),
        ("Figures", "Statistics, rankings, coverage and the bulletin (docs/statistics.md)."),
        ("Change feed", "Events across issues in a resumable order (docs/api.md)."),
        ("Audit", "The tamper-evident event chain, daily digests, audit search and the personal-data access log (docs/audit.md)."),
        ("Clients", "API clients and their keys (docs/security.md)."),
        ("Reference data", "Towns, units, communities, grids, categories and routing rules, with their histories (docs/reference-data.md)."),
        ("Calendar", "The working-day calendar that deadlines count on (docs/reference-data.md)."),
        ("Health", "Whether the service and its database answer.")
    ];

    /// <summary>The group of a route template such as <c>/api/v1/issues/{id}/assign</c>.</summary>
    public static string Of(string route)
    {
        var segments = route.Trim('/').Split('/');
        if (segments.Length < 3 || segments[0] != "api") return "Health";
        var area = segments[2];
        var last = segments[^1];
        return area switch
        {
            "issues" when last is "chain" or "export" or "erase-personal-data" => "Audit",
            "issues" => "Issues",
            "visits" or "wechat-groups" => "Visits",
            "units" when last is "inbox" or "notices" => "Inboxes and supervision",
            "supervision" => "Inboxes and supervision",
            "ledgers" => "Ledgers",
            "statistics" or "reports" or "coverage" => "Figures",
            "events" => "Change feed",
            "audit" or "access-log" => "Audit",
            "clients" => "Clients",
            "calendar" => "Calendar",
            _ => "Reference data"
        };
    }
}
