using Scalar.AspNetCore;

namespace Rectify.Infrastructure.OpenApi;

/// <summary>
/// The interactive API reference at /docs (Scalar), over /openapi/v1.json. Everything it loads comes from this service:
/// the script from the package's embedded assets, no web fonts, no telemetry and no AI chat calling out (government
/// networks reach no CDN, and a page that half-loads there is worse than a plain one).
/// </summary>
public static class ApiReference
{
    public static void Configure(ScalarOptions options) => options
        .WithTitle("Rectify API")
        .DisableDefaultFonts()
        .DisableTelemetry()
        .DisableAgent()
        .DisableMcp()
        .AddPreferredSecuritySchemes(DocumentShape.SecurityScheme);
}
