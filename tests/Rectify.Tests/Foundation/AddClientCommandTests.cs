using Marten;
using Rectify.Identity;
using Rectify.Tests.Support;

namespace Rectify.Tests.Foundation;

/// <summary>The command line registers clients: the key is printed once and only its hash is stored.</summary>
public sealed class AddClientCommandTests(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task Add_client_prints_a_key_once_stores_its_hash_and_the_key_works()
    {
        var (exitCode, output) = await RunCommand("add-client", "laiwu-checker", "--role", "town-office", "--town", "qicun");
        Assert.True(exitCode == 0, output);
        var key = output.Trim().Split('\n')[^1].Trim();
        Assert.StartsWith(ApiClient.KeyPrefix, key);

        await using (var session = Store.QuerySession())
        {
            var client = await session.LoadAsync<ApiClient>(ApiClient.Hash(key));
            Assert.NotNull(client);
            Assert.Equal(("laiwu-checker", Role.TownOffice, "qicun", (string?)null), (client.Name, client.Role, client.TownId, client.DepartmentId));
            var clearText = await session.QueryAsync<int>("select count(*)::int from rectify.mt_doc_apiclient where data::text like ?", $"%{key}%");
            Assert.Equal(0, clearText.Single());
        }

        await Get("/api/v1/units/qicun-governance/inbox", null, 200, s => s.WithRequestHeader("Authorization", $"Bearer {key}"));
    }

    [Fact]
    public async Task A_second_client_of_one_name_needs_replace_which_revokes_the_old_key()
    {
        var (_, first) = await RunCommand("add-client", "district-desk", "--role", "auditor");
        var oldKey = first.Trim().Split('\n')[^1].Trim();

        var (refused, refusal) = await RunCommand("add-client", "district-desk", "--role", "auditor");
        Assert.NotEqual(0, refused);
        Assert.Contains("--replace", refusal);

        var (replaced, second) = await RunCommand("add-client", "district-desk", "--role", "auditor", "--replace");
        Assert.True(replaced == 0, second);
        var newKey = second.Trim().Split('\n')[^1].Trim();

        await Get("/api/v1/units/housing/inbox", null, 401, s => s.WithRequestHeader("Authorization", $"Bearer {oldKey}"));
        await Get("/api/v1/units/housing/inbox", null, 200, s => s.WithRequestHeader("Authorization", $"Bearer {newKey}"));
    }

    [Fact]
    public async Task A_scope_that_does_not_fit_the_role_is_refused_and_nothing_is_stored()
    {
        var (exitCode, output) = await RunCommand("add-client", "misfit", "--role", "department", "--town", "qicun");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("needs --department", output);
        await using var session = Store.QuerySession();
        Assert.Equal(0, await session.Query<ApiClient>().CountAsync(c => c.Name == "misfit"));
    }

    [Theory]
    [InlineData(Role.Department, "qicun", null, "needs --department")]
    [InlineData(Role.Department, null, null, "needs --department")]
    [InlineData(Role.TownOffice, null, "housing", "needs --town")]
    [InlineData(Role.Visitor, "qicun", "housing", "needs --town and no --department")]
    [InlineData(Role.Auditor, "qicun", null, "whole district")]
    [InlineData(Role.Admin, null, "housing", "whole district")]
    [InlineData(Role.Visitor, "atlantis", null, "Unknown town")]
    [InlineData(Role.Department, null, "atlantis", "Unknown department")]
    [InlineData(Role.System, null, null, "no client may have it")]
    public void Each_role_takes_only_its_own_scope(Role role, string? town, string? department, string reason) =>
        Assert.Contains(reason, ClientScope.Check(role, town, department, Lifecycle.Given.References));

    [Theory]
    [InlineData(Role.Visitor, "qicun", null)]
    [InlineData(Role.TownOffice, "qicun", null)]
    [InlineData(Role.Department, null, "housing")]
    [InlineData(Role.DistrictSupervisor, null, null)]
    [InlineData(Role.Auditor, null, null)]
    [InlineData(Role.Admin, null, null)]
    public void A_fitting_scope_passes(Role role, string? town, string? department) =>
        Assert.Null(ClientScope.Check(role, town, department, Lifecycle.Given.References));

    /// <summary>The service's own command line, as ops/cli runs it, against the test database.</summary>
    private static Task<(int ExitCode, string Output)> RunCommand(params string[] args) =>
        Checkout.RunToEnd("dotnet", [Path.Combine(AppContext.BaseDirectory, "Rectify.dll"), .. args], info =>
        {
            info.WorkingDirectory = AppContext.BaseDirectory;
            info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        });
}
