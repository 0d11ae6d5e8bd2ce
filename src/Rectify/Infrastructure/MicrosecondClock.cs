namespace Rectify.Infrastructure;

/// <summary>
/// Every moment Rectify records is whole microseconds, PostgreSQL's precision. A .NET moment carries 100 ns ticks that
/// PostgreSQL rounds (sometimes up) while Npgsql truncates a parameter: a value kept to microseconds from the start
/// compares the same in SQL, in the read models and in memory, so an act made at the very moment asked for counts.
/// </summary>
public sealed class MicrosecondClock(TimeProvider inner) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => Microseconds.Floor(inner.GetUtcNow());
    public override long GetTimestamp() => inner.GetTimestamp();
    public override long TimestampFrequency => inner.TimestampFrequency;
    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);
}

public static class Microseconds
{
    public static DateTimeOffset Floor(DateTimeOffset moment) => moment.AddTicks(-(moment.Ticks % TimeSpan.TicksPerMicrosecond));
}
