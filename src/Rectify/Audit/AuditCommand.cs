using JasperFx.CommandLine;
using Marten;

namespace Rectify.Audit;

public class AuditInput : NetCoreInput
{
    [Description("What to check: replay-check (do the read models equal the events?)")]
    public string Action { get; set; } = "";

    [Description("Print at most this many differences (all are counted); 0 prints every one")]
    [FlagAlias("limit")]
    public int LimitFlag { get; set; }
}

[Description("Audit checks: 'audit replay-check' replays every issue stream and the statistics' events and compares them with the stored read models", Name = "audit")]
public class AuditCommand : JasperFxAsyncCommand<AuditInput>
{
    public const string ReplayCheckAction = "replay-check";

    public override async Task<bool> Execute(AuditInput input) => input.Action switch
    {
        ReplayCheckAction => await ReplayCheck.RunAsync(input, Console.Out),
        _ => Unknown(input.Action)
    };

    private static bool Unknown(string action)
    {
        Console.Error.WriteLine($"Unknown audit action '{action}'. Use: {ReplayCheckAction}.");
        return false;
    }
}
