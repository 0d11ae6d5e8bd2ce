using System.Text.RegularExpressions;
using Rectify.Tests.Support;

namespace Rectify.Tests.Api;

/// <summary>/docs: the interactive reference, readable without a key, with nothing loaded from elsewhere.</summary>
public sealed partial class ApiReferenceTests(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task The_reference_is_served_without_a_key_and_loads_only_from_this_service()
    {
        var client = Host.Server.CreateClient();
        using var page = await client.GetAsync("/docs/");
        Assert.Equal(200, (int)page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();

        var sources = Source().Matches(html).Select(m => m.Groups["url"].Value).ToList();
        Assert.Contains(sources, s => s.EndsWith(".js", StringComparison.Ordinal));
        foreach (var source in sources)
        {
            Assert.False(Uri.TryCreate(source, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http"),
                $"/docs loads {source} from elsewhere");
            Assert.False(source.StartsWith("//", StringComparison.Ordinal), $"/docs loads {source} from elsewhere");
            using var asset = await client.GetAsync(new Uri(new Uri("http://localhost/docs/"), source));
            Assert.True((int)asset.StatusCode == 200, $"{source} answered {(int)asset.StatusCode}");
        }
        // The page reads the document this service serves, and that needs no key either.
        Assert.Contains("openapi/v1.json", html);
        Assert.Equal(200, (int)(await client.GetAsync("/openapi/v1.json")).StatusCode);
        // No web fonts from a CDN.
        Assert.Contains("\"withDefaultFonts\":false", html);
    }

    [Fact]
    public async Task Docs_without_the_slash_leads_to_the_reference()
    {
        using var answer = await Host.Server.CreateClient().GetAsync("/docs");
        Assert.True((int)answer.StatusCode is 200 or 301 or 302, $"/docs answered {(int)answer.StatusCode}");
    }

    [GeneratedRegex("""(?:src|href)\s*=\s*["'](?<url>[^"']+)["']""")]
    private static partial Regex Source();
}
