using Rectify.Identity;

namespace Rectify.PersonalData;

/// <summary>
/// One read that handed over a resident's personal data as recorded: who (client and role), which issue, when and
/// through which route. A document table of its own (mt_doc_personaldataread), apart from the issues' event
/// streams: the log is about readers, not about the issue, and an erasure removes the data, not the log.
/// </summary>
public sealed class PersonalDataRead
{
    public Guid Id { get; set; }
    public Guid IssueId { get; set; }
    public string Client { get; set; } = "";
    public Role Role { get; set; }
    public string? TownId { get; set; }
    public string? DepartmentId { get; set; }
    /// <summary>The route's template, e.g. "GET /api/v1/issues/{id}".</summary>
    public string Route { get; set; } = "";
    /// <summary>The path and query as asked, e.g. "/api/v1/issues/…?version=2".</summary>
    public string Path { get; set; } = "";
    /// <summary>Which fields were handed over as recorded.</summary>
    public List<string> Fields { get; set; } = [];
    public DateTimeOffset At { get; set; }

    public static PersonalDataRead Of(Actor actor, Guid issueId, HttpContext http, IEnumerable<string> fields, DateTimeOffset at) => new()
    {
        Id = Guid.CreateVersion7(at),
        IssueId = issueId,
        Client = actor.ClientName,
        Role = actor.Role,
        TownId = actor.TownId,
        DepartmentId = actor.DepartmentId,
        Route = RouteOf(http),
        Path = http.Request.Path + http.Request.QueryString,
        Fields = [.. fields],
        At = at
    };

    public static string RouteOf(HttpContext http) =>
        $"{http.Request.Method} {(http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.ToString()}";
}
