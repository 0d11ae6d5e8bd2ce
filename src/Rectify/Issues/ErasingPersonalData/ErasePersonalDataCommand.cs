using JasperFx.CommandLine;
using Marten;
using Rectify.Identity;

namespace Rectify.Issues.ErasingPersonalData;

public class ErasePersonalDataInput : NetCoreInput
{
    [Description("The issue whose resident asked for erasure")]
    public string IssueId { get; set; } = "";

    [Description("Why (e.g. the resident's request and its reference); recorded in the issue's history")]
    [FlagAlias("reason")]
    public string ReasonFlag { get; set; } = "";

    [Description("Who erases, recorded as the actor (an admin's name); ops-cli when not given")]
    [FlagAlias("by")]
    public string? ByFlag { get; set; }
}

[Description("Erases a resident's personal data (name, phone) of one issue; the history records the erasure", Name = "erase-personal-data")]
public class ErasePersonalDataCommand : JasperFxAsyncCommand<ErasePersonalDataInput>
{
    public ErasePersonalDataCommand()
    {
        Usage("Erase the resident's personal data of an issue").Arguments(x => x.IssueId);
    }

    public override async Task<bool> Execute(ErasePersonalDataInput input)
    {
        if (!Guid.TryParse(input.IssueId, out var issueId))
        {
            Console.Error.WriteLine($"'{input.IssueId}' is not an issue id (a UUID).");
            return false;
        }
        var reason = input.ReasonFlag.Trim();
        if (reason.Length is 0 or > ErasePersonalData.MaxReason)
        {
            Console.Error.WriteLine($"Give --reason, at most {ErasePersonalData.MaxReason} characters.");
            return false;
        }

        using var host = input.BuildHost();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var clock = host.Services.GetRequiredService<TimeProvider>();
        await using var session = store.LightweightSession();
        var actor = new Actor(input.ByFlag is { Length: > 0 } by ? by : "ops-cli", Role.Admin, null, null);
        switch (await ErasureOutcome.Run(session, issueId, new ErasePersonalData(reason), actor, clock.GetUtcNow(), CancellationToken.None))
        {
            case ErasureOutcome.Erased { Issue: var next }:
                await session.SaveChangesAsync();
                Console.WriteLine($"Erased the resident's personal data of issue {issueId}; its history records it as version {next.Version}.");
                return true;
            case ErasureOutcome.Refused { Reason: var why }:
                Console.Error.WriteLine(why);
                return false;
            default:
                Console.Error.WriteLine($"No issue with id {issueId}.");
                return false;
        }
    }
}
