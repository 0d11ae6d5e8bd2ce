using Rectify.Issues;
using Rectify.ReferenceData;

namespace Rectify.Supervision;

/// <summary>Which side takes a notice: a town (itself or one of its offices), a district department, the district.</summary>
public enum NoticeSide { Town, Department, District }

/// <summary>
/// 督办: one party's notice that a clock of an issue ran out, as recorded by a DeadlineMissed event. RecipientId is
/// the party named in that event: a town office or department id, a town id, or <c>district-supervisor</c>.
/// </summary>
public sealed record SupervisionNotice(
    Guid IssueId, string TownId, string? UnitId, string CategoryId, SupervisionClock Clock, Guid ClockId, int Level,
    DateOnly DueDate, string RecipientId, NoticeSide Side, DateTimeOffset NotifiedAt)
{
    /// <summary>One notice per clock, level and recipient, however many times it is delivered.</summary>
    public Guid NoticeId => ActIds.For(ClockId, Level, $"notice:{RecipientId}");
}

/// <summary>To the town side: a notice for the town or one of its offices.</summary>
public sealed record NoticeToTown(SupervisionNotice Notice);

/// <summary>To the department side: a notice for a district department (routed by its id, as deliveries are).</summary>
public sealed record NoticeToDepartment(SupervisionNotice Notice);

/// <summary>To the district: a second notice for the district supervisor.</summary>
public sealed record NoticeToDistrict(SupervisionNotice Notice);

public static class Notices
{
    /// <summary>The notices a recorded DeadlineMissed sends, one per party it names.</summary>
    public static IReadOnlyList<SupervisionNotice> For(DeadlineMissed missed, Issue issue) =>
        missed.NotifiedParties.Select(party => new SupervisionNotice(
            missed.IssueId, issue.TownId, missed.UnitId, issue.CategoryId, missed.Clock, missed.ClockId, missed.Level, missed.DueDate,
            party, SideOf(party, issue), missed.OccurredAt)).ToList();

    private static NoticeSide SideOf(string party, Issue issue) =>
        party == SupervisionCheck.DistrictSupervisor ? NoticeSide.District
        : party == issue.UnitId && issue.UnitKind == UnitKind.Department ? NoticeSide.Department
        : NoticeSide.Town;

    /// <summary>The message that carries a notice to its side.</summary>
    public static object Message(SupervisionNotice notice) => notice.Side switch
    {
        NoticeSide.Department => new NoticeToDepartment(notice),
        NoticeSide.District => new NoticeToDistrict(notice),
        _ => new NoticeToTown(notice)
    };

    /// <summary>Receiving a notice. Idempotent in the domain: a notice already recorded stores nothing.</summary>
    public static NoticeEntry? Receive(SupervisionNotice notice, NoticeEntry? alreadyReceived, DateTimeOffset now) =>
        alreadyReceived is not null ? null : new NoticeEntry
        {
            Id = notice.NoticeId,
            RecipientId = notice.RecipientId,
            IssueId = notice.IssueId,
            TownId = notice.TownId,
            UnitId = notice.UnitId,
            CategoryId = notice.CategoryId,
            Clock = notice.Clock,
            ClockId = notice.ClockId,
            Level = notice.Level,
            DueDate = notice.DueDate,
            NotifiedAt = notice.NotifiedAt,
            ReceivedAt = now
        };
}

/// <summary>A supervision notice as its recipient received it: what the recipient reads under its notices.</summary>
public sealed class NoticeEntry
{
    /// <summary>Derived from the clock, the level and the recipient (see SupervisionNotice.NoticeId).</summary>
    public Guid Id { get; set; }
    public string RecipientId { get; set; } = "";
    public Guid IssueId { get; set; }
    public string TownId { get; set; } = "";
    /// <summary>The unit that held the issue when the clock ran out.</summary>
    public string? UnitId { get; set; }
    public string CategoryId { get; set; } = "";
    public SupervisionClock Clock { get; set; }
    public Guid ClockId { get; set; }
    public int Level { get; set; }
    public DateOnly DueDate { get; set; }
    /// <summary>When the notice was issued: the end of the due date (level 1) or of the second notice's date (level 2).</summary>
    public DateTimeOffset NotifiedAt { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
}
