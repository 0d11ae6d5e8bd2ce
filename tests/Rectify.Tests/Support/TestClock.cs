namespace Rectify.Tests.Support;

/// <summary>A clock the tests set; the service reads time only through TimeProvider.</summary>
public sealed class TestClock : TimeProvider
{
    private DateTimeOffset _now = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Set(DateTimeOffset now) => _now = now;

    public void Reset() => _now = DateTimeOffset.UtcNow;
}
