namespace Rectify.Issues;

/// <summary>
/// The resident's personal data, kept out of the event stream so it can be masked in reads and
/// erased when the law requires without rewriting history. Events refer to it by id only.
/// </summary>
public sealed class ResidentContact
{
    public Guid Id { get; set; }
    public Guid IssueId { get; set; }
    public string? Name { get; set; }
    public string? Phone { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}
