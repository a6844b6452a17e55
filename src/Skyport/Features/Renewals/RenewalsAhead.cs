using System.Globalization;
using Skyport.Features.Billing.Rating;
using Skyport.Features.Subscriptions;

namespace Skyport.Features.Renewals;

/// <summary>
/// Which terms end in the coming days and what follows each (R10, R12): a renewal at the price in force on the renewal date
/// (the price lock ends with the term, R5), with the scheduled changes; the extended service term at its price; or the end.
/// Pure: the caller gives the facts, the prices of each customer and today.
/// </summary>
public static class RenewalsAhead
{
    public const int MaxDays = 366;

    public static IReadOnlyList<RenewalAhead> Within(IEnumerable<RenewalFacts> subscriptions, DateOnly today, int days, Func<Guid, PriceLookup> pricesOf)
    {
        var last = today.AddDays(days);
        return [.. subscriptions
            .Where(s => s.Status is SubscriptionStatus.Active or SubscriptionStatus.Suspended && !s.InExtendedTerm)
            .Where(s => s.TermEnd >= today && s.TermEnd <= last)
            .Select(s => Ahead(s, pricesOf(s.CustomerId)))
            .OrderBy(r => r.TermEnd).ThenBy(r => r.CustomerName, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.SubscriptionName, StringComparer.OrdinalIgnoreCase)];
    }

    public static RenewalAhead Ahead(RenewalFacts s, PriceLookup prices)
    {
        var monthlyBefore = Monthly(s.UnitPrice, s.Quantity, s.BillingFrequency);
        var renewalDate = s.TermEnd.AddDays(1);
        var action = ExtendedServiceTerm.ActionAtTermEnd(s.AutoRenew, s.CancelAtTermEnd, s.Status, s.BoughtOn, s.TermEnd);
        switch (action)
        {
            case EndOfTermAction.Expire:
                return Result(s, RenewalAction.Lapses, "", 0, monthlyBefore, 0m, null);
            case EndOfTermAction.Extend:
                var est = ExtendedServiceTerm.UnitPrice(prices, s.OfferId, renewalDate, s.UnitPrice, s.PriceSource, s.BillingFrequency);
                return Result(s, RenewalAction.EntersExtendedTerm, $"month to month at {est.UnitPrice.ToString("0.00", CultureInfo.InvariantCulture)} a seat",
                    s.Quantity, monthlyBefore, Monthly(est.UnitPrice, s.Quantity, BillingFrequency.Monthly), est.Source);
        }
        var next = s.Scheduled ?? new RenewalSchedule();
        var quantity = next.Quantity ?? s.Quantity;
        var key = new PriceKey(next.OfferId ?? s.OfferId, next.TermDuration ?? s.Term, next.BillingFrequency ?? s.BillingFrequency);
        var price = prices.InForceOn(key, renewalDate);
        var changes = Describe(s, next);
        return Result(s, changes.Length == 0 ? RenewalAction.Renews : RenewalAction.RenewsWithChanges, changes, quantity, monthlyBefore,
            price is null ? monthlyBefore : Monthly(price.UnitPrice, quantity, key.BillingFrequency), price?.Source ?? s.PriceSource);
    }

    private static RenewalAhead Result(RenewalFacts s, RenewalAction action, string changes, int quantityAfter, decimal before, decimal after, PriceSource? source) =>
        new(s.SubscriptionId, s.CustomerId, s.CustomerName, s.SubscriptionName, s.OfferId, s.TermEnd, action, changes, s.Quantity, quantityAfter, before, after, s.Currency, source);

    private static string Describe(RenewalFacts s, RenewalSchedule next)
    {
        var parts = new List<string>();
        if (next.Quantity is { } quantity && quantity != s.Quantity)
        {
            parts.Add($"quantity {s.Quantity} → {quantity}");
        }
        if (next.OfferId is { } offer && offer != s.OfferId)
        {
            parts.Add($"product {s.OfferId} → {offer}");
        }
        if (next.TermDuration is { } term && term != s.Term)
        {
            parts.Add($"term {s.Term.WireName()} → {term.WireName()}");
        }
        if (next.BillingFrequency is { } frequency && frequency != s.BillingFrequency)
        {
            parts.Add($"billing {s.BillingFrequency.WireName()} → {frequency.WireName()}");
        }
        return string.Join(", ", parts);
    }

    private static decimal Monthly(decimal unitPrice, int quantity, BillingFrequency frequency) =>
        SubscriptionMath.MonthlyCost(unitPrice, quantity, frequency.WireName());
}
