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

    public static async Task Middleware(HttpContext http, RequestDelegate next)
    {
        Request.Value = http;
        try { await next(http); }
        finally { Request.Value = null; }
    }

    /// <summary>The address of <paramref name="issue"/> as the current reader may see it (PersonalData:MaskAddress).</summary>
    public static string Address(Issue issue, string address)
    {
        if (Request.Value is not { } http) return address;
        var options = http.RequestServices.GetRequiredService<IOptions<PersonalDataOptions>>().Value;
        if (!options.MaskAddress) return address;
        return PersonalDataAccess.Address(address, PersonalDataAccess.SeesUnmasked(ApiKeyAuthentication.ActorOf(http), issue), options);
    }

    /// <summary>An event as the current reader may see it: the collection's address masked where it must be.</summary>
    public static object Event(object data, Issue current) =>
        data is IssueCollected c && Address(current, c.Address) is var shown && shown != c.Address ? c with { Address = shown } : data;
}
