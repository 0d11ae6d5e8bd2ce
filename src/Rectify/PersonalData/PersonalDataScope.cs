using Microsoft.Extensions.Options;
using Rectify.Identity;
using Rectify.Issues;

namespace Rectify.PersonalData;

/// <summary>
/// The request a list is built for, so that the household address in every ledger row, search hit, export and history
/// entry is masked for a reader who may not see it, without threading the caller through every ledger's code.
/// Outside a request (the command line, the seeder) nothing is masked.
/// </summary>
public static class PersonalDataScope
{
    private static readonly AsyncLocal<HttpContext?> Request = new();

    private const string DisclosedKey = "rectify.addresses-disclosed";

    public static async Task Middleware(HttpContext http, RequestDelegate next)
    {
        Request.Value = http;
        // Addresses handed over unmasked while the answer was built are logged as it starts, before a byte of it leaves:
        // if the log cannot be written the answer fails instead.
        http.Response.OnStarting(() => LogDisclosedAddresses(http));
        try { await next(http); }
        finally { Request.Value = null; }
    }

    private static async Task LogDisclosedAddresses(HttpContext http)
    {
        if (http.Items[DisclosedKey] is not HashSet<Guid> { Count: > 0 } issues) return;
        var actor = ApiKeyAuthentication.ActorOf(http);
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        await using var session = http.RequestServices.GetRequiredService<Marten.IDocumentStore>().LightweightSession();
        foreach (var issueId in issues) session.Store(PersonalDataRead.Of(actor, issueId, http, ["address"], now));
        await session.SaveChangesAsync(http.RequestAborted);
    }

    /// <summary>The address of <paramref name="issue"/> as the current reader may see it (PersonalData:MaskAddress).</summary>
    public static string Address(Issue issue, string address)
    {
        if (Request.Value is not { } http) return address;
        var options = http.RequestServices.GetRequiredService<IOptions<PersonalDataOptions>>().Value;
        if (!options.MaskAddress) return address;
        var unmasked = PersonalDataAccess.SeesUnmasked(ApiKeyAuthentication.ActorOf(http), issue);
        // With the setting on, the address is personal data: an unmasked one is logged like a name or a phone.
        if (unmasked)
        {
            if (http.Items[DisclosedKey] is not HashSet<Guid> disclosed) http.Items[DisclosedKey] = disclosed = [];
            disclosed.Add(issue.Id);
        }
        return PersonalDataAccess.Address(address, unmasked, options);
    }

    /// <summary>
    /// Why the current reader may not have <paramref name="issue"/>'s events as recorded (an export whose hashes cover the
    /// address), or null when it may; an allowed read is logged like any address handed over.
    /// </summary>
    public static string? RecordedEventsRefusal(Issue issue)
    {
        if (Request.Value is not { } http) return null;
        var options = http.RequestServices.GetRequiredService<IOptions<PersonalDataOptions>>().Value;
        if (!options.MaskAddress) return null;
        if (!PersonalDataAccess.SeesUnmasked(ApiKeyAuthentication.ActorOf(http), issue))
            return "With PersonalData:MaskAddress on, the household address is personal data and an export holds it as recorded " +
                   "(its hashes cover it): only the issue's town, its holder and district supervisors may export it.";
        Address(issue, "");
        return null;
    }

    /// <summary>
    /// Events of many issues (the audit search, the change feed) as the current reader may see them: each issue's
    /// address masked where it must be, decided on that issue as it stands now.
    /// </summary>
    public static async Task<Func<JasperFx.Events.IEvent, object>> EventsOf(Marten.IQuerySession session, IReadOnlyList<JasperFx.Events.IEvent> events,
        CancellationToken cancellation)
    {
        var ids = events.Select(e => e.StreamId).Distinct().ToArray();
        var issues = ids.Length == 0 ? [] : (await session.LoadManyAsync<Issue>(cancellation, ids)).ToDictionary(i => i.Id);
        return e => issues.TryGetValue(e.StreamId, out var issue) ? Event(e.Data, issue) : e.Data;
    }

    /// <summary>An event as the current reader may see it: the collection's address masked where it must be.</summary>
    public static object Event(object data, Issue current) =>
        data is IssueCollected c && Address(current, c.Address) is var shown && shown != c.Address ? c with { Address = shown } : data;
}
