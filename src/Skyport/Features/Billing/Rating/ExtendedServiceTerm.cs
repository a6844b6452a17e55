namespace Skyport.Features.Billing.Rating;

/// <summary>
/// R12, R14.4, R14.6: Microsoft's extended service term (EST). A term ending with auto-renew off continues month to month
/// at the offer's monthly price + 3 % (or the ending term's monthly price + 23 % when the offer has no monthly plan),
/// unless the subscription was cancelled at term end or is suspended; during it only cancellation is accepted.
/// </summary>
public static class ExtendedServiceTerm
{
    /// <summary>The first term end on which Microsoft extends instead of letting the subscription expire.</summary>
    public static readonly DateOnly FirstExtendedTermEnd = new(2026, 5, 4);

    /// <summary>Subscriptions bought before this date still expire.</summary>
    public static readonly DateOnly EarliestPurchase = new(2025, 4, 1);

    public const decimal MonthlyPlanUplift = 1.03m;
    public const decimal NoMonthlyPlanUplift = 1.23m;

    public static readonly RuleDecision OnlyCancellation =
        RuleDecision.Refused("The subscription is in its extended service term: it can only be cancelled.");

    public static bool Applies(DateOnly boughtOn, DateOnly termEnd) =>
        termEnd >= FirstExtendedTermEnd && boughtOn >= EarliestPurchase;

    public static EndOfTermAction ActionAtTermEnd(
        bool autoRenew, bool cancelAtTermEnd, SubscriptionStatus status, DateOnly boughtOn, DateOnly termEnd)
    {
        if (autoRenew)
        {
            return EndOfTermAction.Renew;
        }

        return cancelAtTermEnd || status == SubscriptionStatus.Suspended || !Applies(boughtOn, termEnd)
            ? EndOfTermAction.Expire
            : EndOfTermAction.Extend;
    }

    /// <summary>
    /// The EST unit price for a month, rounded to cents before any line uses it. <paramref name="monthlyPlan"/> is the
    /// price found at the renewal date for the same offer, P1M, monthly (null when there is none); otherwise the ending
    /// term's locked unit price (a year's when billed annually) gives the fallback.
    /// </summary>
    public static PriceQuote UnitPrice(
        PriceQuote? monthlyPlan, decimal endingUnitPrice, PriceSource endingSource, BillingFrequency endingFrequency)
    {
        if (monthlyPlan is not null)
        {
            return new PriceQuote(Money.RoundHalfAwayFromZero(monthlyPlan.UnitPrice * MonthlyPlanUplift), monthlyPlan.Source);
        }

        // Multiplying before dividing keeps the annual fallback exact until the one rounding.
        var monthly = endingFrequency == BillingFrequency.Annual
            ? endingUnitPrice * NoMonthlyPlanUplift / 12
            : endingUnitPrice * NoMonthlyPlanUplift;
        return new PriceQuote(Money.RoundHalfAwayFromZero(monthly), endingSource);
    }

    /// <summary>The EST unit price of <paramref name="offerId"/> for a term ending the day before <paramref name="renewalDate"/>.</summary>
    public static PriceQuote UnitPrice(
        PriceLookup prices,
        string offerId,
        DateOnly renewalDate,
        decimal endingUnitPrice,
        PriceSource endingSource,
        BillingFrequency endingFrequency)
    {
        ArgumentNullException.ThrowIfNull(prices);
        var monthlyPlan = prices.InForceOn(new PriceKey(offerId, TermDuration.P1M, BillingFrequency.Monthly), renewalDate);
        return UnitPrice(monthlyPlan, endingUnitPrice, endingSource, endingFrequency);
    }
}
