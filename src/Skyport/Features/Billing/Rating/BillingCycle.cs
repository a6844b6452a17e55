namespace Skyport.Features.Billing.Rating;

/// <summary>
/// R1: the billing cycle of a month for a reseller's cycle end day E (1–31, clamped to the month's end).
/// The cycle runs from the day after the previous month's end to this month's end, both inclusive,
/// and its report is dated the day after it ends.
/// </summary>
public sealed record BillingCycle(BillingMonth Month, DateOnly Start, DateOnly End)
{
    public const int MinEndDay = 1;
    public const int MaxEndDay = 31;

    /// <summary>D: the number of days in the cycle.</summary>
    public int Days => End.DayNumber - Start.DayNumber + 1;

    public DateOnly BillingDate => End.AddDays(1);

    public bool Contains(DateOnly date) => date >= Start && date <= End;

    public static BillingCycle For(BillingMonth month, int endDay) =>
        new(month, EndOf(month.AddMonths(-1), endDay).AddDays(1), EndOf(month, endDay));

    /// <summary>The last day of month M's cycle: E clamped to the month's last day.</summary>
    public static DateOnly EndOf(BillingMonth month, int endDay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(endDay, MinEndDay);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(endDay, MaxEndDay);
        return new DateOnly(month.Year, month.Month, Math.Min(endDay, month.LastDay));
    }

    /// <summary>The cycle whose days include <paramref name="date"/>.</summary>
    public static BillingCycle Containing(DateOnly date, int endDay)
    {
        var month = BillingMonth.Of(date);
        return date <= EndOf(month, endDay) ? For(month, endDay) : For(month.AddMonths(1), endDay);
    }

    /// <summary>
    /// "Last month": the last closed cycle, the one before the cycle containing <paramref name="today"/>. Rules R1 words it as
    /// the cycle of the month before today's month, which is the same until the cycle end day; after it, the cycle that
    /// closed this month is the last one issued, and the Billing page's "Last month (the last closed cycle)" shows it.
    /// </summary>
    public static BillingCycle LastMonth(DateOnly today, int endDay) =>
        For(Containing(today, endDay).Month.AddMonths(-1), endDay);

    /// <summary>One cycle per month from <paramref name="from"/> to <paramref name="to"/>, in order.</summary>
    public static IReadOnlyList<BillingCycle> Range(BillingMonth from, BillingMonth to, int endDay)
    {
        var count = from.MonthsUntil(to) + 1;
        var cycles = new BillingCycle[Math.Max(count, 0)];
        for (var i = 0; i < cycles.Length; i++)
        {
            cycles[i] = For(from.AddMonths(i), endDay);
        }

        return cycles;
    }
}
