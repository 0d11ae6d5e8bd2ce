namespace Rectify.Issues;

/// <summary>
/// Who decides is not who judges (DOMAIN.md): the refusals of the checks next to feedback, extensions and close name
/// the rule they apply, so that a caller (and an auditor reading the log) can tell a duty refused from a scope refused.
/// The rules are listed in docs/security.md, "Separation of duties".
/// </summary>
public static class SeparationOfDuties
{
    public static string Refusal(string rule, string why) => $"Separation of duties ({rule}): {why}";
}
