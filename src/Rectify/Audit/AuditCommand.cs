using JasperFx.CommandLine;

namespace Rectify.Audit;

public class AuditInput : NetCoreInput
{
    [Description("What to do: verify (the hash chain of an export file, or of the database), replay-check (do the read models equal the events?) or backfill (chain the events stored before the chain existed)")]
    public string Action { get; set; } = "";

    [Description("verify: an export file (JSON or CSV from GET /api/v1/issues/{id}/export) to verify instead of the database")]
    [FlagAlias("file")]
    public string FileFlag { get; set; } = "";

    [Description("verify: only this issue's stream (default: every stream in the database)")]
    [FlagAlias("issue")]
    public string IssueFlag { get; set; } = "";

    [Description("replay-check: print at most this many differences (all are counted); 0 prints every one")]
    [FlagAlias("limit")]
    public int LimitFlag { get; set; }
}

[Description("Audit checks: 'audit verify' recomputes the hash chain and names the first broken entry; 'audit replay-check' replays every issue stream and the statistics' events and compares them with the stored read models; 'audit backfill' chains events stored before the chain existed", Name = "audit")]
public class AuditCommand : JasperFxAsyncCommand<AuditInput>
{
    public const string VerifyAction = "verify";
    public const string ReplayCheckAction = "replay-check";
    public const string BackfillAction = "backfill";

    public AuditCommand()
    {
        Usage("Verify every stream in the database, or replay-check the read models").Arguments(x => x.Action);
        Usage("Verify one issue or an export file, or replay-check printing at most --limit differences").Arguments(x => x.Action)
            .ValidFlags(x => x.IssueFlag, x => x.FileFlag, x => x.LimitFlag);
    }

    public override async Task<bool> Execute(AuditInput input) => input.Action switch
    {
        VerifyAction => await ChainVerification.RunAsync(input, Console.Out),
        ReplayCheckAction => await ReplayCheck.RunAsync(input, Console.Out),
        BackfillAction => await EventChainBackfill.RunAsync(input, Console.Out),
        _ => Unknown(input.Action)
    };

    private static bool Unknown(string action)
    {
        Console.Error.WriteLine($"Unknown audit action '{action}'. Use: {VerifyAction} [--issue id] [--file export], {ReplayCheckAction} [--limit n], or {BackfillAction}.");
        return false;
    }
}
