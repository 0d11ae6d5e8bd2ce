using Microsoft.Extensions.DependencyInjection;
using Rectify.ReferenceData;
using Rectify.Tests.Support;

namespace Rectify.Tests.ReferenceData;

/// <summary>ops/cli reference-data: the same decisions as the API, run as the command line of the service.</summary>
public sealed class ReferenceDataCommandTests(AppFixture app) : ApiTest(app)
{
    private static Task<(int ExitCode, string Output)> RunCommand(params string[] args) =>
        Checkout.RunToEnd("dotnet", [Path.Combine(AppContext.BaseDirectory, "Rectify.dll"), "reference-data", .. args], info =>
        {
            info.WorkingDirectory = AppContext.BaseDirectory;
            info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        });

    private async Task<DistrictReferenceData> Reloaded()
    {
        var cache = Host.Services.GetRequiredService<ReferenceDataCache>();
        await cache.RefreshAsync(CancellationToken.None);
        return cache.Current;
    }

    [Fact]
    public async Task A_department_and_a_rule_added_and_a_register_imported_from_the_command_line()
    {
        var (added, output) = await RunCommand("add-department", "--id", "water-bureau", "--name", "区水务局", "--reason", "新设水务局", "--actor", "zhang-admin");
        Assert.True(added == 0, output);
        var (rule, ruleOutput) = await RunCommand("add-rule", "--category", "infrastructure", "--department", "water-bureau", "--office-kind", "governance",
            "--id", "infrastructure-water", "--reason", "供水归水务局");
        Assert.True(rule == 0, ruleOutput);

        var file = Path.Combine(Path.GetTempPath(), $"register-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, "户号,地址\n5-2-301,齐村 5 号楼\n5-2-302,齐村 5 号楼\n5-2-303,\n");
        try
        {
            var (imported, importOutput) = await RunCommand("import-households", "--id", "qicun-qicun-g03", "--file", file, "--reason", "2026 年名册");
            Assert.True(imported == 0, importOutput);
            Assert.Contains("Households of qicun-qicun-g03", importOutput);
        }
        finally
        {
            File.Delete(file);
        }

        var data = await Reloaded();
        Assert.Equal("区水务局", data.FindDepartment("water-bureau")!.Name);
        Assert.Equal("water-bureau", data.DepartmentFor("qicun", "infrastructure", Rectify.Calendar.WorkingCalendar.ShanghaiDate(DateTimeOffset.UtcNow))!.Value.Department.Id);
        Assert.Equal(3, data.RegisterOf("qicun-qicun-g03")!.Count);
        Assert.True(data.RegisterOf("qicun-qicun-g03")!.Contains("5-2-303"));
        var history = (await Get("/api/v1/units/water-bureau/history", "admin", 200)).Json[0];
        Assert.Equal("zhang-admin", history.GetProperty("actor").GetProperty("clientName").GetString());
    }

    [Fact]
    public async Task A_refused_change_exits_non_zero_says_why_and_stores_nothing()
    {
        var (blocked, detail) = await RunCommand("end-unit", "--id", "housing", "--reason", "机构改革");
        Assert.NotEqual(0, blocked);
        Assert.Contains("living-environment-2022-05-27", detail);

        var (backdated, refusal) = await RunCommand("add-rule", "--category", "other", "--office-kind", "governance", "--effective-from", "2022-01-01", "--reason", "x");
        Assert.NotEqual(0, backdated);
        Assert.Contains("never retroactive", refusal);

        Assert.Single((await Get("/api/v1/reference-data/history", "admin", 200)).Json.EnumerateArray());
    }
}
