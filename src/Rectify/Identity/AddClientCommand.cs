using JasperFx.CommandLine;
using Marten;
using Rectify.Infrastructure;
using Rectify.ReferenceData;

namespace Rectify.Identity;

public class AddClientInput : NetCoreInput
{
    [Description("The client's name, recorded as the actor of everything it does")]
    public string Name { get; set; } = "";

    [Description("visitor, town-office, town-leader, department, district-supervisor, auditor, admin or external-system")]
    [FlagAlias("role", 'r')]
    public string RoleFlag { get; set; } = "";

    [Description("The town a visitor or town office acts for")]
    [FlagAlias("town")]
    public string? TownFlag { get; set; }

    [Description("The department a department client acts for")]
    [FlagAlias("department")]
    public string? DepartmentFlag { get; set; }

    [Description("For an external-system client: the routes it may call, each \"METHOD /template\" as in /openapi/v1.json")]
    [FlagAlias("routes")]
    public string[] RoutesFlag { get; set; } = [];

    [Description("Revoke any existing client of that name first")]
    [FlagAlias("replace")]
    public bool ReplaceFlag { get; set; }

    [Description("Write the key to this file (mode 600) instead of printing it")]
    [FlagAlias("key-file")]
    public string? KeyFileFlag { get; set; }
}

[Description("Registers an API client and prints its key once (only its hash is stored)", Name = "add-client")]
public class AddClientCommand : JasperFxAsyncCommand<AddClientInput>
{
    public AddClientCommand()
    {
        Usage("Register a client").Arguments(x => x.Name);
    }

    public override async Task<bool> Execute(AddClientInput input)
    {
        var role = Enum.GetValues<Role>().Where(r => r != Role.System).Cast<Role?>().FirstOrDefault(r => Kebab.Of(r!.Value) == input.RoleFlag);
        if (role is null)
        {
            Console.Error.WriteLine($"Unknown role '{input.RoleFlag}'. Use one of: {string.Join(", ", Enum.GetValues<Role>().Where(r => r != Role.System).Select(r => Kebab.Of(r)))}.");
            return false;
        }

        if (Keys.ClientFields.NameProblem(input.Name) is { } nameProblem)
        {
            Console.Error.WriteLine($"The name '{input.Name}': {nameProblem}");
            return false;
        }

        using var host = input.BuildHost();
        var references = host.Services.GetRequiredService<DistrictReferenceData>();
        var scopeError = ClientScope.Check(role.Value, input.TownFlag, input.DepartmentFlag, references);
        if (scopeError is not null)
        {
            Console.Error.WriteLine(scopeError);
            return false;
        }

        var (routes, routeProblems) = Keys.ClientFields.Routes(role.Value, input.RoutesFlag, Keys.MappedRoutes.Of(
            host is Microsoft.AspNetCore.Routing.IEndpointRouteBuilder app ? app.DataSources : [host.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>()]));
        if (routeProblems.Count > 0)
        {
            foreach (var (index, reason) in routeProblems) Console.Error.WriteLine(index < 0 ? $"--routes: {reason}" : $"--routes {input.RoutesFlag[index]}: {reason}");
            return false;
        }

        var store = host.Services.GetRequiredService<IDocumentStore>();
        await using var session = store.LightweightSession();
        var now = DateTimeOffset.UtcNow;
        var key = ApiClient.NewKey();
        // The same decision as POST /api/v1/clients, so that the change is in the client's audit record too.
        var decision = Keys.ClientKeys.Register(
            new Keys.RegisterClient(input.Name, role.Value, input.TownFlag, input.DepartmentFlag, routes, input.ReplaceFlag),
            await Keys.ClientRegistry.KeysOf(session, input.Name, CancellationToken.None), ApiClient.Hash(key), Keys.CommandLineActor.Current, now);
        if (decision.Change is not { } change)
        {
            Console.Error.WriteLine($"A client named '{input.Name}' exists. Use --replace to revoke it and issue a new key.");
            return false;
        }

        await Keys.ClientRegistry.Queue(session, input.Name, change, CancellationToken.None);
        await session.SaveChangesAsync();

        if (input.KeyFileFlag is { } path)
        {
            await File.WriteAllTextAsync(path, key + Environment.NewLine);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Console.WriteLine($"Registered client '{input.Name}' ({Kebab.Of(role.Value)}); key written to {path}.");
        }
        else
        {
            Console.WriteLine($"Registered client '{input.Name}' ({Kebab.Of(role.Value)}). Its key, shown only now:");
            Console.WriteLine(key);
        }

        return true;
    }
}

public static class ClientScope
{
    /// <summary>Why the scope does not fit the role, or null when it does.</summary>
    public static string? Check(Role role, string? townId, string? departmentId, DistrictReferenceData references)
    {
        if (townId is not null && references.FindTown(townId) is null) return $"Unknown town '{townId}'.";
        if (departmentId is not null && references.FindDepartment(departmentId) is null) return $"Unknown department '{departmentId}'.";
        return role switch
        {
            Role.System => "The system role is Rectify's own; no client may have it.",
            Role.Visitor or Role.TownOffice or Role.TownLeader when townId is null || departmentId is not null =>
                $"A {Kebab.Of(role)} client needs --town and no --department.",
            Role.Department when departmentId is null || townId is not null =>
                "A department client needs --department and no --town.",
            Role.DistrictSupervisor or Role.Auditor or Role.Admin or Role.ExternalSystem when townId is not null || departmentId is not null =>
                $"A {Kebab.Of(role)} client acts for the whole district: give neither --town nor --department.",
            _ => null
        };
    }
}
