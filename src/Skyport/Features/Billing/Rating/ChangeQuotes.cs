namespace Skyport.Features.Billing.Rating;

/// <summary>
/// What a change costs before it is made, for the subscription pages (the same arithmetic as the lines the engine writes):
/// an upgrade (R11), a cancellation or seat removal in its 168-hour window (R7), a co-terminous purchase's first term (R13).
/// The EST unit price is <see cref="ExtendedServiceTerm.UnitPrice(PriceQuote?, decimal, PriceSource, BillingFrequency)"/>.
/// </summary>
public static class ChangeQuotes
{
    /// <summary>
    /// The days a change on <paramref name="date"/> is billed for and over: to the cycle end over the cycle's days (monthly
    /// billing), or to the term end over the natural term's days (annual billing, R6, R14.2).
    /// </summary>
    public static (DateOnly End, int PeriodDays) ProratedTo(
        DateOnly date, BillingFrequency frequency, int cycleEndDay, DateOnly termEnd, int naturalTermDays)
    {
        if (frequency == BillingFrequency.Annual)
        {
            return (termEnd, naturalTermDays);
        }

        var cycle = BillingCycle.Containing(date, cycleEndDay);
        return (cycle.End, cycle.Days);
    }

    /// <summary>R11: <paramref name="seats"/> moved on <paramref name="date"/> from a source at one unit price to a target at another.</summary>
    public static UpgradeQuote Upgrade(
        int seats,
        DateOnly date,
        BillingFrequency frequency,
        int cycleEndDay,
        DateOnly termEnd,
        int naturalTermDays,
        decimal sourceUnitPrice,
        decimal targetUnitPrice)
    {
        var (end, periodDays) = ProratedTo(date, frequency, cycleEndDay, termEnd, naturalTermDays);
        var days = Proration.Days(date, end);
        return new UpgradeQuote(
            date,
            end,
            -Proration.Amount(seats, sourceUnitPrice, days, periodDays),
            Proration.Amount(seats, targetUnitPrice, days, periodDays));
    }

    /// <summary>R7: the refund (negative) for removing <paramref name="seats"/> or cancelling them on <paramref name="date"/>.</summary>
    public static decimal Refund(
        int seats, decimal unitPrice, DateOnly date, BillingFrequency frequency, int cycleEndDay, DateOnly termEnd, int naturalTermDays)
    {
        var (end, periodDays) = ProratedTo(date, frequency, cycleEndDay, termEnd, naturalTermDays);
        return -Proration.Amount(seats, unitPrice, Proration.Days(date, end), periodDays);
    }

    /// <summary>
    /// R13: what the first term [purchase date, custom end] costs. Annual billing: one proRata over the natural first
    /// term's days. Monthly billing: the cycle lines it produces, a full cycle's fee for a cycle it covers whole.
    /// </summary>
    public static decimal CoterminousFirstTerm(
        int quantity,
        decimal unitPrice,
        DateOnly purchaseDate,
        DateOnly customEnd,
        TermDuration term,
        BillingFrequency frequency,
        int cycleEndDay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(customEnd, purchaseDate);
        if (frequency == BillingFrequency.Annual)
        {
            return Proration.Amount(
                quantity, unitPrice, Proration.Days(purchaseDate, customEnd), Terms.Days(purchaseDate, term, 0));
        }

        var total = 0m;
        for (var cycle = BillingCycle.Containing(purchaseDate, cycleEndDay);
             cycle.Start <= customEnd;
             cycle = BillingCycle.For(cycle.Month.AddMonths(1), cycleEndDay))
        {
            var start = cycle.Start > purchaseDate ? cycle.Start : purchaseDate;
            var end = cycle.End < customEnd ? cycle.End : customEnd;
            total += start == cycle.Start && end == cycle.End
                ? Proration.FullPeriod(quantity, unitPrice)
                : Proration.Amount(quantity, unitPrice, Proration.Days(start, end), cycle.Days);
        }

        return total;
    }
}
