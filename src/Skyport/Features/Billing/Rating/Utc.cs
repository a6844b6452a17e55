namespace Skyport.Features.Billing.Rating;

/// <summary>R2: billing works on UTC dates; instants are turned into them here only.</summary>
public static class Utc
{
    public static DateTimeOffset StartOf(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>R2: an event takes effect on its UTC date.</summary>
    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.UtcDateTime);
}
