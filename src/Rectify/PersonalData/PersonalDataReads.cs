using Marten;
using Rectify.Identity;
using Rectify.Issues;

namespace Rectify.PersonalData;

/// <summary>
/// The seam every read that returns a resident's personal data goes through: it decides masked or not, and logs a
/// read that hands the data over before the answer is written.
/// </summary>
public static class PersonalDataReads
{
    /// <summary>
    /// The resident's data of <paramref name="current"/> (the issue as it stands now: who may see it is decided on today's
    /// holder, also for a read of a past version). A disclosing read is logged and saved here, before the caller answers:
    /// if the log cannot be written the request fails (500) and no personal data leaves.
    /// </summary>
    public static async Task<ResidentData> ReadAsync(IDocumentSession session, HttpContext http, Issue current, TimeProvider clock)
    {
        var actor = ApiKeyAuthentication.ActorOf(http);
        var contact = current.PersonalDataErased
            ? null
            : await session.Query<ResidentContact>().FirstOrDefaultAsync(c => c.IssueId == current.Id, http.RequestAborted);
        var shown = PersonalDataAccess.Shown(contact, current.PersonalDataErased, PersonalDataAccess.SeesUnmasked(actor, current));
        if (shown.Disclosed)
        {
            session.Store(PersonalDataRead.Of(actor, current.Id, http, Fields(shown), clock.GetUtcNow()));
            await session.SaveChangesAsync(http.RequestAborted);
        }
        return shown;
    }

    private static IEnumerable<string> Fields(ResidentData shown)
    {
        if (shown.ResidentName is not null) yield return "residentName";
        if (shown.ResidentPhone is not null) yield return "residentPhone";
    }
}
