namespace Rectify.Tests.Support;

/// <summary>
/// A clock the tests set; the service reads time only through TimeProvider. Whole microseconds, as the service's own
/// clock (MicrosecondClock).
/// </summary>
public sealed class TestClock : TimeProvider
{
    private DateTimeOffset _now = Rectify.Infrastructure.Microseconds.Floor(DateTimeOffset.UtcNow);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Set(DateTimeOffset now) => _now = Rectify.Infrastructure.Microseconds.Floor(now);

    public void Reset() => _now = Rectify.Infrastructure.Microseconds.Floor(DateTimeOffset.UtcNow);
}
