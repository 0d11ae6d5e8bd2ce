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

    public override async Task<bool> Execute(AuditInput input)
    {
        if (input.Action != ReplayCheckAction)
        {
            Console.Error.WriteLine($"Unknown audit action '{input.Action}'. Use: {ReplayCheckAction}.");
            return false;
        }
        using var host = input.BuildHost();
        var report = await ReplayCheck.RunAsync(host.Services.GetRequiredService<IDocumentStore>(), CancellationToken.None);
        Write(report, Console.Out, input.LimitFlag);
        return report.Clean;
    }

    public static void Write(ReplayReport report, TextWriter output, int limit = 0)
    {
        foreach (var model in report.Models)
            output.WriteLine($"{model.Document}: {model.Stored:N0} stored, {model.Replayed:N0} replayed (events up to position {model.UpToPosition:N0})");
        var shown = limit > 0 ? report.Differences.Take(limit) : report.Differences;
        foreach (var difference in shown) output.WriteLine($"DIFFERENCE {difference}");
        if (report.Differences.Count > shown.Count())
            output.WriteLine($"... and {report.Differences.Count - shown.Count():N0} more (--limit 0 prints all)");
        output.WriteLine(report.Clean
            ? $"replay check passed: the read models equal the events ({report.Took.TotalSeconds:F1} s)"
            : $"replay check FAILED: {report.Differences.Count:N0} difference(s) ({report.Took.TotalSeconds:F1} s)");
    }
}
