namespace Skyport.Features.Billing.Rating;

/// <summary>R4, R6, R8, R10–R13: the lines one subscription's history puts on one cycle's report.</summary>
internal static class CycleLines
{
    public static List<BillingLine> For(SubscriptionHistory history, BillingCycle cycle)
    {
        // A schedule (R10) or the extended service term (R12) can change the billing frequency at a renewal, so both
        // kinds of period are looked at.
        var lines = MonthlyBilled(history, cycle);
        if (history.AnnualTerms.Count > 0)
        {
            lines.AddRange(AnnuallyBilled(history, cycle));
        }

        SortForReport(lines);
        return lines;
    }

    /// <summary>
    /// By period start, then cycleFee, proRata, refund. An insertion sort: stable, so lines of one type on
    /// one day stay in event order, and cheap on the few, nearly sorted lines of a cycle.
    /// </summary>
    private static void SortForReport(List<BillingLine> lines)
    {
        for (var i = 1; i < lines.Count; i++)
        {
            var line = lines[i];
            var j = i - 1;
            while (j >= 0 && ComesAfter(lines[j], line))
            {
                lines[j + 1] = lines[j];
                j--;
            }

            lines[j + 1] = line;
        }
    }

    private static bool ComesAfter(BillingLine earlier, BillingLine later) =>
        earlier.PeriodStart > later.PeriodStart || (earlier.PeriodStart == later.PeriodStart && earlier.Type > later.Type);

    /// <summary>
    /// Each monthly-billed price period inside the cycle gets one line for the seats it starts with (a cycleFee when it
    /// spans the whole cycle) and one line per quantity change from the change's date to the period's end. Events on the
    /// cycle's first day fold into the starting seats instead, and so does a quantity scheduled for the renewal that
    /// starts the period (R10).
    /// </summary>
    private static List<BillingLine> MonthlyBilled(SubscriptionHistory history, BillingCycle cycle)
    {
        var lines = new List<BillingLine>();
        var periods = history.PricePeriods;
        for (var i = 0; i < periods.Count; i++)
        {
            var period = periods[i];
            if (period.Frequency != BillingFrequency.Monthly)
            {
                continue;
            }

            // R7, R14.1: a cancellation or full upgrade is refunded to the cycle end, so the cycle it happens in is charged
            // to its end as well, even when the ended term would have ended (and renewed) earlier.
            var periodEnd = i == periods.Count - 1 && history.EndedOn is { } ended && cycle.Contains(ended)
                ? (period.End > cycle.End ? period.End : cycle.End)
                : period.End;
            if (periodEnd < cycle.Start || period.Start > cycle.End)
            {
                continue;
            }

            var start = period.Start > cycle.Start ? period.Start : cycle.Start;
            var end = periodEnd < cycle.End ? periodEnd : cycle.End;
            var startsWithCycle = start == cycle.Start;
            var seats = startsWithCycle ? history.QuantityThrough(start) : history.SeatsAtStartOf(start);
            if (seats > 0)
            {
                var wholeCycle = startsWithCycle && end == cycle.End;
                lines.Add(new BillingLine(
                    wholeCycle ? LineType.CycleFee : LineType.ProRata,
                    start,
                    end,
                    seats,
                    period.UnitPrice,
                    wholeCycle
                        ? Proration.FullPeriod(seats, period.UnitPrice)
                        : Proration.Amount(seats, period.UnitPrice, Proration.Days(start, end), cycle.Days),
                    period.Source,
                    period.OfferId,
                    period.Extended));
            }

            var firstChangeDay = startsWithCycle ? start.AddDays(1) : start;
            foreach (var change in history.Changes)
            {
                if (change.Kind != QuantityChangeKind.Renewal && change.Date >= firstChangeDay && change.Date <= end)
                {
                    lines.Add(DeltaLine(change, end, period.UnitPrice, period.Source, cycle.Days, period.OfferId, period.Extended));
                }
            }
        }

        return lines;
    }

    /// <summary>
    /// One cycleFee for a whole term in the cycle where the term starts, for the seats at its start (a proRata over the
    /// natural term's days when the term is shortened, R11, R13); changes prorated over those days to the term's end, on
    /// the report of the cycle they happen in.
    /// </summary>
    private static List<BillingLine> AnnuallyBilled(SubscriptionHistory history, BillingCycle cycle)
    {
        var lines = new List<BillingLine>();
        foreach (var term in history.AnnualTerms)
        {
            if (!cycle.Contains(term.Start))
            {
                continue;
            }

            var seats = term.StartsWithPurchase ? history.PurchasedSeats : history.SeatsAtStartOf(term.Start);
            if (seats > 0)
            {
                lines.Add(new BillingLine(
                    term.IsShortened ? LineType.ProRata : LineType.CycleFee,
                    term.Start,
                    term.End,
                    seats,
                    term.UnitPrice,
                    term.IsShortened
                        ? Proration.Amount(seats, term.UnitPrice, term.Days, term.NaturalDays)
                        : Proration.FullPeriod(seats, term.UnitPrice),
                    term.Source,
                    term.OfferId));
            }
        }

        foreach (var change in history.Changes)
        {
            if (change.Kind != QuantityChangeKind.Change || !cycle.Contains(change.Date)
                || history.AnnualTermContaining(change.Date) is not { } term)
            {
                continue;
            }

            lines.Add(DeltaLine(change, term.End, term.UnitPrice, term.Source, term.NaturalDays, term.OfferId, extended: false));
        }

        return lines;
    }

    private static BillingLine DeltaLine(
        QuantityChange change, DateOnly end, decimal unitPrice, PriceSource source, int periodDays, string offerId, bool extended)
    {
        var seats = Math.Abs(change.Delta);
        var amount = Proration.Amount(seats, unitPrice, Proration.Days(change.Date, end), periodDays);
        return change.Delta > 0
            ? new BillingLine(LineType.ProRata, change.Date, end, seats, unitPrice, amount, source, offerId, extended)
            : new BillingLine(LineType.Refund, change.Date, end, seats, unitPrice, -amount, source, offerId, extended);
    }
}
