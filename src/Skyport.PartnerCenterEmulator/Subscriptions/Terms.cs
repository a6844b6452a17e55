namespace Skyport.PartnerCenterEmulator.Subscriptions;

/// <summary>NCE term arithmetic. Term end dates are inclusive: a term ends at the end of its last day.</summary>
public static class Terms
{
    public static int Months(string termDuration) => termDuration.ToUpperInvariant() switch
    {
        "P1M" => 1,
        "P1Y" => 12,
        "P3Y" => 36,
        _ => throw new ArgumentOutOfRangeException(nameof(termDuration), termDuration, "Unknown term duration."),
    };

    public static int BillingMonths(string billingCycle, string termDuration) =>
        billingCycle.Equals("annual", StringComparison.OrdinalIgnoreCase) ? Math.Min(12, Months(termDuration)) : 1;

    /// <summary>
    /// The first day of term <paramref name="index"/> (0-based) of a subscription whose first term started on
    /// <paramref name="anchor"/>. Computed from the anchor so that month ends do not drift (Jan 31, Feb 28, Mar 31).
    /// </summary>
    public static DateOnly TermStart(DateOnly anchor, string termDuration, int index) => anchor.AddMonths(Months(termDuration) * index);

    /// <summary>The inclusive last day of term <paramref name="index"/>: the day before the next term starts.</summary>
    public static DateOnly TermEnd(DateOnly anchor, string termDuration, int index) =>
        TermStart(anchor, termDuration, index + 1).AddDays(-1);

    /// <summary>The first day of billing period <paramref name="period"/> (0-based) of a term.</summary>
    public static DateOnly BillingPeriodStart(DateOnly termStart, string billingCycle, string termDuration, int period) =>
        termStart.AddMonths(BillingMonths(billingCycle, termDuration) * period);

    /// <summary>Seats added at <paramref name="addedAt"/> may be removed until 168 hours later.</summary>
    public static readonly TimeSpan ReductionWindow = TimeSpan.FromHours(168);

    public static bool WithinReductionWindow(DateTime addedAt, DateTime now) => now <= addedAt + ReductionWindow;
}
