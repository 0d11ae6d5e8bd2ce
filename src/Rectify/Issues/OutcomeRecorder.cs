using Rectify.Identity;
using Rectify.ReferenceData;

namespace Rectify.Issues;

/// <summary>
/// Who recorded the current outcome (resolution or explanation): the client and the unit it acted for, taken from
/// the outcome's event so that a replay gives the same answer. The separation-of-duties checks judge by it.
/// </summary>
public sealed record OutcomeRecorder(string ClientName, Role Role, string UnitId, UnitKind? UnitKind);
