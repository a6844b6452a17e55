using Skyport.Features.Billing.Rating;

namespace Skyport.Features.Subscriptions;

/// <summary>Plain rules of the subscription pages and API: costs, limits and the seat batches that R7 windows are counted on.</summary>
public static class SubscriptionMath
{
    public const int MaxQuantity = 10_000;
    public const int MaxFriendlyName = 100;
    public const int MaxPurchaseOrderNumber = 50;

    public static decimal MonthlyCost(decimal unitPrice, int quantity, string billingFrequency) =>
        Money.RoundHalfAwayFromZero(billingFrequency == "annual" ? unitPrice * quantity / 12m : unitPrice * quantity);

    /// <summary>The price of one billing period for the quantity.</summary>
    public static decimal PeriodCost(decimal unitPrice, int quantity) => Money.RoundHalfAwayFromZero(unitPrice * quantity);

    /// <summary>
    /// The seat batches of the current term (R7): a renewal gives every seat one new window from 00:00 UTC of the renewal
    /// date; each increase adds a batch; a decrease removes the newest seats first.
    /// </summary>
    public static IReadOnlyList<SeatBatch> Batches(IEnumerable<(DateTimeOffset At, SubscriptionEventKind Kind, int Before, int After)> events, DateOnly currentTermStart)
    {
        IReadOnlyList<SeatBatch> batches = [];
        var termStart = Utc.StartOf(currentTermStart);
        var quantity = 0;
        foreach (var e in events.OrderBy(e => e.At))
        {
            if (e.At < termStart)
            {
                if (e.Kind is SubscriptionEventKind.Purchase or SubscriptionEventKind.ChangeQuantity or SubscriptionEventKind.Renew
                    or SubscriptionEventKind.Upgrade or SubscriptionEventKind.UpgradeInto)
                {
                    quantity = e.After;
                }
                continue;
            }
            if (batches.Count == 0 && quantity > 0)
            {
                batches = SeatWindows.Renew(currentTermStart, quantity);
            }
            switch (e.Kind)
            {
                case SubscriptionEventKind.Purchase:
                    batches = [new SeatBatch(e.At, e.After)];
                    break;
                case SubscriptionEventKind.Renew:
                    batches = SeatWindows.Renew(Utc.DateOf(e.At), e.After);
                    break;
                case SubscriptionEventKind.ChangeQuantity when e.After > e.Before:
                    batches = SeatWindows.Add(batches, e.At, e.After - e.Before);
                    break;
                case SubscriptionEventKind.ChangeQuantity or SubscriptionEventKind.Upgrade:
                    batches = SeatWindows.Reduce(batches, e.After);
                    break;
                case SubscriptionEventKind.UpgradeInto:
                    // Moved seats keep the source's windows (R14.3), which Skyport does not copy: counted as closed, so Skyport
                    // never offers a removal Partner Center would refuse.
                    batches = SeatWindows.Add(batches, e.At - SeatWindows.Window, e.After - e.Before);
                    break;
            }
            quantity = e.After;
        }
        return batches.Count == 0 && quantity > 0 ? SeatWindows.Renew(currentTermStart, quantity) : batches;
    }

    public static SubscriptionStatus StatusFromPartnerCenter(string status) => status.ToLowerInvariant() switch
    {
        "suspended" => SubscriptionStatus.Suspended,
        "deleted" => SubscriptionStatus.Cancelled,
        "expired" => SubscriptionStatus.Expired,
        "pending" => SubscriptionStatus.Pending,
        _ => SubscriptionStatus.Active,
    };

    /// <summary>The status as the pages say it: a pending subscription is "Being processed" (by Partner Center).</summary>
    public static string Label(string status) =>
        status == "pending" ? "Being processed" : status.Length == 0 ? status : char.ToUpperInvariant(status[0]) + status[1..];

    public static string Text(SubscriptionStatus status) => status switch
    {
        SubscriptionStatus.Active => "active",
        SubscriptionStatus.Suspended => "suspended",
        SubscriptionStatus.Cancelled => "cancelled",
        SubscriptionStatus.Pending => "pending",
        _ => "expired",
    };
}
