using Skyport.PartnerCenterEmulator.Catalog;
using Skyport.PartnerCenterEmulator.Core;

namespace Skyport.PartnerCenterEmulator.Subscriptions;

/// <summary>
/// Scheduled changes at renewal (create-scheduled-changes): read and checked on the subscription PATCH, shown on GET,
/// applied when the term renews, deleted by any immediate change.
/// </summary>
public static class ScheduledChanges
{
    public const string Field = "scheduledNextTermInstructions";

    /// <summary>
    /// The instructions a PATCH sends: absent leaves them, <c>null</c> removes them. <paramref name="autoRenewAfter"/> is
    /// the auto-renew the PATCH leaves the subscription with.
    /// </summary>
    public static (bool Sent, ScheduledNextTerm? Value, IResult? Error) Read(
        JsonBody body, Subscription s, bool autoRenewAfter, IEnumerable<Subscription> customerSubscriptions)
    {
        if (body.IsNull(Field)) return (true, null, null);
        if (!body.Has(Field)) return (false, null, null);
        var instructions = body.Object(Field);
        var product = instructions?.Object("product");
        var productId = product?.String("productId", required: true);
        var skuId = product?.String("skuId", required: true);
        var availabilityId = product?.String("availabilityId");
        var billingCycle = product?.String("billingCycle") ?? s.BillingCycle;
        var termDuration = product?.String("termDuration") ?? s.TermDuration;
        var quantity = instructions?.Int("quantity") ?? s.Quantity;
        var customEnd = instructions?.Date("customTermEndDate");
        instructions?.Absorb(product, "product");
        body.Absorb(instructions, Field);
        if (Pc.Invalid(body) is { } invalid) return (true, null, invalid);

        if (s.ExtendedSince is not null) return (true, null, ExtendedServiceTerm.OnlyCancellation());
        if (s.Status != SubscriptionStatuses.Active) return (true, null, Errors.Pc(400, 800091, "Cannot update a subscription with suspended status"));
        if (!autoRenewAfter)
        {
            // create-scheduled-changes: "Prerequisites: … The subscription has auto renew enabled."
            return (true, null, Errors.Pc(400, 3000, "Changes can be scheduled only on a subscription with auto-renew on.", Field));
        }
        var current = CatalogData.Sku(s.ProductId, s.SkuId)!;
        var target = productId is null ? current : CatalogData.Sku(productId, skuId!);
        if (target is null || (availabilityId is not null && !availabilityId.Equals(target.AvailabilityId, StringComparison.OrdinalIgnoreCase)))
        {
            return (true, null, Errors.Pc(400, 800004, "Invalid offer Id", $"{productId}:{skuId}:{availabilityId}"));
        }
        if (target.ItemCode != current.ItemCode && !UpgradePaths.Allows(current, target))
        {
            return (true, null, Errors.Pc(400, 3000, $"{target.Title} is not a scheduled transition eligibility of {current.Title}.", $"{Field}.product"));
        }
        if (CatalogData.Term(termDuration, billingCycle) is not { } term)
        {
            return (true, null, Errors.Pc(400, 800009, "Error in Cart item(s)", $"Term {termDuration} with billing cycle {billingCycle} is not offered."));
        }
        if (quantity < 1) return (true, null, Errors.Pc(400, 2002, "Subscription quantity is not within minimum and maximum allowed quantity"));
        if (quantity > target.MaximumQuantity)
        {
            return (true, null, Errors.Pc(403, 800067, "The desired seat count exceeded the maximum seat count allowed per subscription",
                $"The requested number of {quantity} seats exceeds the remaining limit of {target.MaximumQuantity} seats allowed per subscription for the CatalogItemId - {target.CatalogItemId}"));
        }
        var renewal = s.CommitmentEndDate.AddDays(1);
        if (customEnd is { } end && !CustomTermEndDates.IsAllowed(end, term.Duration, renewal, customerSubscriptions.Where(o => o.Id != s.Id)))
        {
            return (true, null, Errors.Pc(400, 3000,
                $"The custom term end date {end:yyyy-MM-dd} aligns with neither a calendar month end nor an active subscription's term end within the next term.",
                $"{Field}.customTermEndDate"));
        }
        var next = new ScheduledNextTerm(target.ProductId, target.SkuId, target.AvailabilityId, term.BillingCycle.ToLowerInvariant(), term.Duration, quantity, customEnd);
        // A schedule equal to the current values changes nothing (R14.5).
        var unchanged = next == new ScheduledNextTerm(s.ProductId, s.SkuId, s.AvailabilityId, s.BillingCycle.ToLowerInvariant(), s.TermDuration, s.Quantity, null);
        return (true, unchanged ? null : next, null);
    }

    /// <summary>Starts the new term with the scheduled values; true when a schedule was applied.</summary>
    public static bool ApplyAtRenewal(Subscription s, DateOnly renewal)
    {
        if (s.ScheduledNextTerm is not { } next) return false;
        var item = CatalogData.Sku(next.ProductId, next.SkuId)!;
        if (s.FriendlyName == s.OfferName) s.FriendlyName = item.Title;
        s.ProductId = next.ProductId;
        s.SkuId = next.SkuId;
        s.AvailabilityId = next.AvailabilityId;
        s.OfferName = item.Title;
        s.BillingCycle = next.BillingCycle;
        s.Quantity = next.Quantity;
        if (next.TermDuration != s.TermDuration || s.TermIndex < 0)
        {
            // Later terms are anchored on the renewal (R10) rather than the first term's start.
            s.TermDuration = next.TermDuration;
            s.TermAnchor = renewal;
            s.TermIndex = -1;
        }
        s.ScheduledNextTerm = null;
        return true;
    }

    public static object? Json(ScheduledNextTerm? next) => next is null ? null : new
    {
        product = new
        {
            productId = next.ProductId,
            skuId = next.SkuId,
            availabilityId = next.AvailabilityId,
            billingCycle = next.BillingCycle,
            termDuration = next.TermDuration,
        },
        quantity = next.Quantity,
        customTermEndDate = next.CustomTermEndDate is { } end ? Pc.Date(end) : null,
    };
}
