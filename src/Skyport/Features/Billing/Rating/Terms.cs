namespace Skyport.Features.Billing.Rating;

public enum TermDuration
{
    P1M,
    P1Y,
}

/// <summary>
/// R6: terms are anchored on the first term's start S. Term k runs from S + k terms to
/// S + (k+1) terms − 1 day, keeping S's day of month clamped to each month's end.
/// </summary>
public static class Terms
{
    public static int MonthsIn(TermDuration duration) => duration switch
    {
        TermDuration.P1M => 1,
        TermDuration.P1Y => 12,
        _ => throw new ArgumentOutOfRangeException(nameof(duration), duration, "Unknown term duration."),
    };

    // Always count from S, never from the previous term, so a 31st keeps coming back after a short month.
    public static DateOnly Start(DateOnly firstStart, TermDuration duration, int index) =>
        firstStart.AddMonths(index * MonthsIn(duration));

    public static DateOnly End(DateOnly firstStart, TermDuration duration, int index) =>
        Start(firstStart, duration, index + 1).AddDays(-1);

    public static int Days(DateOnly firstStart, TermDuration duration, int index) =>
        End(firstStart, duration, index).DayNumber - Start(firstStart, duration, index).DayNumber + 1;

    /// <summary>The index of the term that contains <paramref name="date"/> (date on or after S).</summary>
    public static int IndexContaining(DateOnly firstStart, TermDuration duration, DateOnly date)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(date, firstStart);
        var months = (date.Year - firstStart.Year) * 12 + date.Month - firstStart.Month;
        var index = Math.Max(months / MonthsIn(duration), 0);
        while (Start(firstStart, duration, index) > date)
        {
            index--;
        }

        while (End(firstStart, duration, index) < date)
        {
            index++;
        }

        return index;
    }
}
