using Rectify.Calendar;

namespace Rectify.Issues.Extending;

/// <summary>How far extensions may go: at most MaxPerStage granted per stage, each at most MaxWorkingDays working days.</summary>
public sealed record ExtensionLimits(int MaxPerStage, int MaxWorkingDays)
{
    public static readonly ExtensionLimits Default = new(2, 30);

    /// <summary>
    /// Why a request for <paramref name="newDeadline"/> goes beyond the limits, or null. A stage is the handling of one
    /// deadline set by routing (an assignment and its acceptance), the acceptance of an escalation, or rework; the
    /// extensions granted since are counted (rejected requests are not).
    /// </summary>
    public Decision.Unprocessable? Check(Issue issue, DateOnly newDeadline, WorkingCalendar calendar)
    {
        if (issue.ExtensionsThisStage >= MaxPerStage)
            return new Decision.Unprocessable("newDeadline",
                $"At most {MaxPerStage} extensions per stage ({ExtensionOptions.Section}:{nameof(ExtensionOptions.MaxPerStage)}); this stage has had {issue.ExtensionsThisStage}.");
        var days = calendar.WorkingDaysBetween(issue.Deadline!.Value, newDeadline);
        return days > MaxWorkingDays
            ? new Decision.Unprocessable("newDeadline",
                $"An extension may add at most {MaxWorkingDays} working days ({ExtensionOptions.Section}:{nameof(ExtensionOptions.MaxWorkingDays)}); {newDeadline:yyyy-MM-dd} is {days} working days after the deadline {issue.Deadline:yyyy-MM-dd}, the latest allowed is {calendar.WorkingDayAfter(issue.Deadline!.Value, MaxWorkingDays):yyyy-MM-dd}.")
            : null;
    }
}

/// <summary>The settings Supervision:Extensions:MaxPerStage and MaxWorkingDays, checked at start-up.</summary>
public sealed class ExtensionOptions
{
    public const string Section = "Supervision:Extensions";

    public int MaxPerStage { get; set; } = ExtensionLimits.Default.MaxPerStage;
    public int MaxWorkingDays { get; set; } = ExtensionLimits.Default.MaxWorkingDays;

    public ExtensionLimits Limits => new(MaxPerStage, MaxWorkingDays);

    /// <summary>What is wrong with the settings, each naming its setting; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems() =>
        new (string Name, int Value)[] { (nameof(MaxPerStage), MaxPerStage), (nameof(MaxWorkingDays), MaxWorkingDays) }
            .Where(s => s.Value < 1)
            .Select(s => $"{Section}:{s.Name} must be a whole number, at least 1 (it is {s.Value}).")
            .ToList();

    public static ExtensionOptions Checked(ExtensionOptions options) =>
        options.Problems() is { Count: > 0 } problems
            ? throw new InvalidOperationException("Invalid extension settings: " + string.Join(" ", problems))
            : options;

    /// <summary>Binds and checks the settings before anything starts: a bad value is a start-up error naming it.</summary>
    public static void Register(IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        Checked(section.Get<ExtensionOptions>() ?? new ExtensionOptions());
        services.Configure<ExtensionOptions>(section);
    }
}
