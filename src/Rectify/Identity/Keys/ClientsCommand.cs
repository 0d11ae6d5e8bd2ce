using JasperFx.CommandLine;
using Marten;
using Rectify.Infrastructure;

namespace Rectify.Identity.Keys;

public enum ClientsAction { List, Rotate, Revoke }

public class ClientsInput : NetCoreInput
{
    [Description("list, rotate or revoke")]
    public string Action { get; set; } = "";

    [Description("The client's name (for rotate and revoke)")]
    public string Name { get; set; } = "";

    [Description("rotate: hours the old key keeps working (0 to 720; default 24)")]
    [FlagAlias("grace-hours")]
    public int GraceHoursFlag { get; set; } = 24;

    [Description("rotate: write the new key to this file (mode 600) instead of printing it")]
    [FlagAlias("key-file")]
    public string? KeyFileFlag { get; set; }
}

[Description("Lists clients, rotates a client's key (the old one works for a grace period) or revokes a client", Name = "clients")]
public class ClientsCommand : JasperFxAsyncCommand<ClientsInput>
{
    public ClientsCommand()
    {
        Usage("List the clients").Arguments(x => x.Action);
        Usage("Rotate a client's key or revoke it").Arguments(x => x.Action, x => x.Name);
    }

    public override async Task<bool> Execute(ClientsInput input)
    {
        if (!Enum.TryParse<ClientsAction>(input.Action, ignoreCase: true, out var action) || !Enum.IsDefined(action))
        {
            Console.Error.WriteLine($"Unknown action '{input.Action}': use clients list, clients rotate <name> or clients revoke <name>.");
            return false;
        }
        if (action != ClientsAction.List && input.Name.Length == 0)
        {
            Console.Error.WriteLine($"Name the client: clients {Kebab.Of(action)} <name>.");
            return false;
        }
        if (action == ClientsAction.Rotate && input.GraceHoursFlag is < 0 or > ClientKeys.MaxGraceHours)
        {
            Console.Error.WriteLine($"--grace-hours must be from 0 to {ClientKeys.MaxGraceHours}.");
            return false;
        }

        using var host = input.BuildHost();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        await using var session = store.LightweightSession();
        var now = DateTimeOffset.UtcNow;

        if (action == ClientsAction.List)
        {
            Console.WriteLine($"{"name",-24} {"role",-20} {"scope",-24} {"created (UTC)",-17} {"last used (UTC)",-17} {"revoked (UTC)",-17} keys");
            foreach (var c in await ClientRegistry.List(session, now, CancellationToken.None))
                Console.WriteLine($"{c.Name,-24} {Kebab.Of(c.Role),-20} {c.Scope,-24} {Time(c.CreatedAt),-17} {Time(c.LastUsedAt),-17} {Time(c.RevokedAt),-17} " +
                                  $"{c.Keys.Count(k => k.Works)} working of {c.Keys.Count}");
            return true;
        }

        var keys = await ClientRegistry.KeysOf(session, input.Name, CancellationToken.None);
        var key = ApiClient.NewKey();
        var decision = action == ClientsAction.Rotate
            ? ClientKeys.Rotate(input.Name, input.GraceHoursFlag, keys, ApiClient.Hash(key), CommandLineActor.Current, now)
            : ClientKeys.Revoke(input.Name, keys, CommandLineActor.Current, now);
        if (decision.Change is not { } change)
        {
            Console.Error.WriteLine(decision.Refusal);
            return false;
        }

        await ClientRegistry.Queue(session, input.Name, change, CancellationToken.None);
        await session.SaveChangesAsync();

        if (change.Event is ClientRevoked revoked)
        {
            Console.WriteLine($"Revoked client '{input.Name}' ({revoked.RevokedKeyIds.Count} key(s)); its keys no longer work.");
            return true;
        }

        var rotated = (ClientKeyRotated)change.Event;
        var until = $"the old key works until {rotated.PreviousKeysExpireAt:yyyy-MM-dd HH:mm:ss} UTC";
        if (input.KeyFileFlag is { } path)
        {
            await File.WriteAllTextAsync(path, key + Environment.NewLine);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Console.WriteLine($"Rotated the key of '{input.Name}'; {until}. New key written to {path}.");
        }
        else
        {
            Console.WriteLine($"Rotated the key of '{input.Name}'; {until}. The new key, shown only now:");
            Console.WriteLine(key);
        }
        return true;
    }

    private static string Time(DateTimeOffset? t) => t is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd HH:mm") : "-";
}
