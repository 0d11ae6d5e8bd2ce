using Microsoft.Extensions.DependencyInjection;
using Rectify.ReferenceData;
using Rectify.Tests.Support;

namespace Rectify.Tests.ReferenceData;

/// <summary>ops/cli reference-data rename-town, end-grid, end-community, set-category-lead: the same decisions as the API.</summary>
public sealed class PlaceAndLeadCommandTests(AppFixture app) : ApiTest(app)
{
    private static Task<(int ExitCode, string Output)> RunCommand(params string[] args) =>
        Checkout.RunToEnd("dotnet", [Path.Combine(AppContext.BaseDirectory, "Rectify.dll"), "reference-data", .. args], info =>
        {
            info.WorkingDirectory = AppContext.BaseDirectory;
            info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        });

    [Fact]
    public async Task A_town_renamed_a_lead_moved_and_a_community_refused_while_its_grid_lives_from_the_command_line()
    {
        var (renamed, output) = await RunCommand("rename-town", "--id", "qicun", "--name", "齐村街道", "--reason", "撤镇设街道", "--actor", "zhang-admin");
        Assert.True(renamed == 0, output);
        var (moved, movedOutput) = await RunCommand("set-category-lead", "--id", "living-environment", "--department", "urban-management", "--reason", "督导办通知");
        Assert.True(moved == 0, movedOutput);
        var (refused, refusal) = await RunCommand("end-community", "--id", "qicun-kekou", "--reason", "并村");
        Assert.NotEqual(0, refused);
        Assert.Contains("qicun-kekou-g03", refusal);

        var cache = Host.Services.GetRequiredService<ReferenceDataCache>();
        await cache.RefreshAsync(CancellationToken.None);
        Assert.Equal("齐村街道", cache.Current.FindTown("qicun")!.Name);
        Assert.Equal("urban-management", cache.Current.FindCategory("living-environment")!.LeadDepartmentId);
        Assert.NotNull(cache.Current.FindTown("qicun")!.Communities.SingleOrDefault(c => c.Id == "qicun-kekou"));
        var history = (await Get("/api/v1/towns/qicun/history", "admin", 200)).Json.GetProperty("history")[1];
        Assert.Equal("zhang-admin", history.GetProperty("actor").GetProperty("clientName").GetString());
    }
}
