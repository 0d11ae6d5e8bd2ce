using System.Net;
using System.Text.Json;
using Alba;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rectify.Identity;
using Rectify.Infrastructure;

namespace Rectify.Tests.Keys;

/// <summary>
/// Per-client rate limits on a host limited to 10 requests a minute. The windows run on real time, so each test sends
/// until refused (a window boundary in between only restarts the count) instead of counting on one window.
/// </summary>
public sealed class RateLimitTests(LimitedHost limited) : IClassFixture<LimitedHost>
{
    private IAlbaHost Host => limited.Host;

    private async Task<(int Accepted, IScenarioResult Refusal)> UntilRefused(string url, Action<Scenario> configure)
    {
        var accepted = 0;
        for (var i = 0; i < LimitedHost.PermitsPerMinute * 3 + 2; i++)
        {
            var result = await Host.Scenario(s =>
            {
                s.Get.Url(url);
                configure(s);
                s.IgnoreStatusCode();
            });
            if (result.Context.Response.StatusCode == 429) return (accepted, result);
            Assert.Equal(200, result.Context.Response.StatusCode);
            accepted++;
        }
        throw new Xunit.Sdk.XunitException($"No 429 after {accepted} requests.");
    }

    private Task<IScenarioResult> GetOnce(string url, Action<Scenario> configure, int expected) => Host.Scenario(s =>
    {
        s.Get.Url(url);
        configure(s);
        s.StatusCodeShouldBe(expected);
    });

    private static Action<Scenario> WithKey(string key) => s => s.WithRequestHeader("Authorization", $"Bearer {key}");

    [Fact]
    public async Task A_client_over_its_limit_gets_429_with_retry_after_and_problem_details_while_other_clients_go_on()
    {
        var busy = ApiClient.NewKey();
        var quiet = ApiClient.NewKey();
        await limited.Register("busy-office", busy, Role.TownOffice, "qicun");
        await limited.Register("quiet-office", quiet, Role.TownOffice, "qicun");

        var (accepted, refusal) = await UntilRefused("/api/v1/units/qicun-governance/inbox", WithKey(busy));

        Assert.True(accepted >= LimitedHost.PermitsPerMinute, $"only {accepted} accepted before the 429");
        var response = refusal.Context.Response;
        Assert.Equal("application/problem+json", response.ContentType);
        var retryAfter = int.Parse(response.Headers.RetryAfter.ToString());
        Assert.InRange(retryAfter, 1, 60);
        var problem = JsonDocument.Parse(await refusal.ReadAsTextAsync()).RootElement;
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Contains($"{LimitedHost.PermitsPerMinute} requests a minute", problem.GetProperty("detail").GetString());

        await GetOnce("/api/v1/units/qicun-governance/inbox", WithKey(quiet), 200); // a quota per client
        await GetOnce("/api/v1/units/qicun-governance/inbox", WithKey(busy), 429);
    }

    [Fact]
    public async Task Requests_without_a_key_share_a_limit_per_remote_address()
    {
        Action<Scenario> From(string address) => s => s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = IPAddress.Parse(address));

        var (accepted, refusal) = await UntilRefused("/api/v1/towns", From("10.0.0.7"));

        Assert.True(accepted >= LimitedHost.PermitsPerMinute, $"only {accepted} accepted before the 429");
        Assert.False(string.IsNullOrEmpty(refusal.Context.Response.Headers.RetryAfter.ToString()));
        await GetOnce("/health", From("10.0.0.7"), 429);
        await GetOnce("/health", From("10.0.0.8"), 200);
    }

    [Fact]
    public async Task Keys_never_appear_in_the_logs_of_registering_rotating_using_and_revoking()
    {
        var admin = WithKey(limited.AdminKey);
        using var recording = limited.Logs.Record();
        var created = await Host.Scenario(s =>
        {
            s.Post.Json(new { name = "logged-office", role = "town-office", townId = "mengzhuang" }).ToUrl("/api/v1/clients");
            admin(s);
            s.StatusCodeShouldBe(201);
        });
        var first = JsonDocument.Parse(await created.ReadAsTextAsync()).RootElement.GetProperty("key").GetString()!;
        var rotated = await Host.Scenario(s =>
        {
            s.Post.Json(new { graceHours = 0 }).ToUrl("/api/v1/clients/logged-office/rotate");
            admin(s);
            s.StatusCodeShouldBe(200);
        });
        var second = JsonDocument.Parse(await rotated.ReadAsTextAsync()).RootElement.GetProperty("key").GetString()!;
        await GetOnce("/api/v1/units/mengzhuang-governance/inbox", WithKey(first), 401);
        await GetOnce("/api/v1/units/mengzhuang-governance/inbox", WithKey(second), 200);
        await Host.Scenario(s =>
        {
            s.Post.Url("/api/v1/clients/logged-office/revoke");
            admin(s);
            s.StatusCodeShouldBe(200);
        });
        await GetOnce("/api/v1/units/mengzhuang-governance/inbox", WithKey(second), 401);

        var logs = limited.Logs.AllText();
        Assert.Contains("/api/v1/clients/logged-office/rotate", logs); // the requests were logged
        foreach (var key in new[] { first, second, limited.AdminKey })
            Assert.DoesNotContain(key[ApiClient.KeyPrefix.Length..], logs);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1000001")]
    public void A_limit_outside_1_to_a_million_is_refused_naming_the_setting(string permits)
    {
        var services = new ServiceCollection();
        services.AddRateLimits(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["RateLimits:PermitsPerMinute"] = permits }).Build());
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RateLimitOptions>>().Value);
        Assert.Contains("RateLimits:PermitsPerMinute", error.Message);
    }
}
