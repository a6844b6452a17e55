namespace Skyport.Features.Billing.Rating;

/// <summary>
/// R13: a purchase may end its first term early (customTermEndDate) to line up with the end of a calendar month or the
/// current term end of another active subscription of the same customer. Later terms are anchored on the day after.
/// </summary>
public static class CoterminousPurchase
{
    /// <summary>The first term's end without a custom date (R6).</summary>
    public static DateOnly NaturalFirstTermEnd(DateOnly purchaseDate, TermDuration term) => Terms.End(purchaseDate, term, 0);

    public static RuleDecision CanEndFirstTermOn(
        DateOnly purchaseDate, TermDuration term, DateOnly customEnd, IEnumerable<DateOnly> activeTermEnds)
    {
        ArgumentNullException.ThrowIfNull(activeTermEnds);
        var natural = NaturalFirstTermEnd(purchaseDate, term);
        if (customEnd <= purchaseDate)
        {
            return RuleDecision.Refused($"The custom term end date must be after the purchase date {purchaseDate:yyyy-MM-dd}.");
        }

        if (customEnd > natural)
        {
            return RuleDecision.Refused($"The custom term end date cannot be later than the natural term end {natural:yyyy-MM-dd}.");
        }

        return IsMonthEnd(customEnd) || activeTermEnds.Contains(customEnd)
            ? RuleDecision.Allowed
            : RuleDecision.Refused(
                $"The custom term end date {customEnd:yyyy-MM-dd} is neither the last day of a month nor the term end of another active subscription.");
    }

    /// <summary>
    /// The dates a purchase on <paramref name="purchaseDate"/> may end its first term on, in order: every month end and every
    /// given term end after the purchase date and no later than the natural first term end.
    /// </summary>
    public static IReadOnlyList<DateOnly> EndDates(DateOnly purchaseDate, TermDuration term, IEnumerable<DateOnly> activeTermEnds)
    {
        ArgumentNullException.ThrowIfNull(activeTermEnds);
        var natural = NaturalFirstTermEnd(purchaseDate, term);
        var dates = new SortedSet<DateOnly>(activeTermEnds.Where(end => end > purchaseDate && end <= natural));
        for (var month = BillingMonth.Of(purchaseDate); ; month = month.AddMonths(1))
        {
            var monthEnd = new DateOnly(month.Year, month.Month, month.LastDay);
            if (monthEnd > natural)
            {
                break;
            }

            if (monthEnd > purchaseDate)
            {
                dates.Add(monthEnd);
            }
        }

        return [.. dates];
    }

    private static bool IsMonthEnd(DateOnly date) => date.Day == DateTime.DaysInMonth(date.Year, date.Month);
}
