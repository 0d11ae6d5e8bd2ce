using System.Diagnostics;

using Rectify.Tests.Support;

namespace Rectify.Tests.Ops;

/// <summary>
/// `ops/run --no-build` serves the last build as it is (the demo from an empty database without a Release publish):
/// where there is none it says so and stops, before touching the database.
/// </summary>
public sealed class OpsRunNoBuildTests : IDisposable
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), $"rectify-nobuild-{Guid.NewGuid():N}");

    [Fact]
    public async Task No_build_without_an_earlier_build_stops_and_names_the_missing_build()
    {
        var info = new ProcessStartInfo(Path.Combine(Checkout.Root(), "ops", "run"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false
        };
        info.ArgumentList.Add("--demo");
        info.ArgumentList.Add("--no-build");
        info.Environment["RECTIFY_HOME"] = _home;
        // A database that is never reached: the script stops before the schema step.
        info.Environment["ConnectionStrings__marten"] = "Host=127.0.0.1;Port=1;Database=none;Username=none";

        using var run = Process.Start(info)!;
        var output = run.StandardOutput.ReadToEndAsync();
        var errors = run.StandardError.ReadToEndAsync();
        await run.WaitForExitAsync();
        var text = await output + await errors;

        Assert.True(run.ExitCode != 0, text);
        Assert.Contains($"no build in {Path.Combine(_home, "app")}", text);
        Assert.DoesNotContain("building the service", text);
        Assert.DoesNotContain("applying the database schema", text);
    }

    public void Dispose() => Checkout.DeleteScratch(_home);
}
