namespace Summit.LocalHost;

/// <summary>
/// For soak and rehearsal runs only (setting <c>LocalHost:ShiftableClock=true</c>): the system clock moved forward by
/// an offset that <c>POST /admin/clock</c> (master key) increases, so a run can walk through days of reminders in
/// minutes. The clock never goes back. Timers keep firing on real time; only "now" moves.
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Moves the clock to <paramref name="at"/>; false (and no change) when that is not later than now.</summary>
    public bool MoveTo(DateTimeOffset at)
    {
        while (true)
        {
            var current = Interlocked.Read(ref _offsetTicks);
            var offset = at - System.GetUtcNow();
            if (offset.Ticks <= current) return false;
            if (Interlocked.CompareExchange(ref _offsetTicks, offset.Ticks, current) == current) return true;
        }
    }
}
