using Marten;

namespace Rectify.Supervision;

/// <summary>The town side: records a notice for the town or one of its offices.</summary>
public static class TownNoticeHandler
{
    public static Task Handle(NoticeToTown message, IDocumentSession session, TimeProvider clock, CancellationToken cancellation) =>
        NoticeBox.Receive(message.Notice, session, clock, cancellation);
}

/// <summary>The department side: records a notice for a district department.</summary>
public static class DepartmentNoticeHandler
{
    public static Task Handle(NoticeToDepartment message, IDocumentSession session, TimeProvider clock, CancellationToken cancellation) =>
        NoticeBox.Receive(message.Notice, session, clock, cancellation);
}

/// <summary>The district: records a second notice for the district supervisor.</summary>
public static class DistrictNoticeHandler
{
    public static Task Handle(NoticeToDistrict message, IDocumentSession session, TimeProvider clock, CancellationToken cancellation) =>
        NoticeBox.Receive(message.Notice, session, clock, cancellation);
}

internal static class NoticeBox
{
    public static async Task Receive(SupervisionNotice notice, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var received = await session.LoadAsync<NoticeEntry>(notice.NoticeId, cancellation);
        // Insert, not upsert: two deliveries racing each other store the notice once; the loser's unique-key
        // failure is retried by Wolverine and then finds the entry.
        if (Notices.Receive(notice, received, clock.GetUtcNow()) is { } entry) session.Insert(entry);
    }
}
