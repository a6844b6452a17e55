namespace Skyport.PartnerCenterEmulator.Core;

/// <summary>
/// The emulator's time: real time plus an offset that the control plane sets or advances.
/// Everything in the emulator (and Skyport, when it follows the emulator) reads time from here.
/// </summary>
public sealed class EmulatorClock(TimeProvider system) : TimeProvider
{
    private long _offsetTicks;

    public EmulatorClock() : this(TimeProvider.System) { }

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => system.GetUtcNow() + Offset;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Raised after the time was set or advanced, so that renewals and invoices catch up.</summary>
    public event Action? Moved;

    public void SetOffset(TimeSpan offset)
    {
        Interlocked.Exchange(ref _offsetTicks, offset.Ticks);
    }

    public void SetNow(DateTimeOffset now)
    {
        SetOffset(now - system.GetUtcNow());
        Moved?.Invoke();
    }

    public void Advance(TimeSpan by)
    {
        Interlocked.Add(ref _offsetTicks, by.Ticks);
        Moved?.Invoke();
    }

    public DateTime UtcNow => GetUtcNow().UtcDateTime;
    public DateOnly Today => DateOnly.FromDateTime(UtcNow);
}
