using Skyport.Features.Billing.Rating;
using Skyport.Features.Catalog;
using Skyport.PartnerCenter;
using Skyport.Web;

namespace Skyport.Features.Subscriptions;

/// <summary>The rules of a purchase (a subscription or an add-on of one) that need no database and no Partner Center.</summary>
public static class BuySubscriptionRules
{
    /// <summary>The request's fields, checked, with the friendly name and purchase order number trimmed (empty is none).</summary>
    public static Outcome<BuySubscriptionRequest> Check(BuySubscriptionRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.OfferId)) errors["offerId"] = ["Choose an offer."];
        if (request.Quantity is not { } quantity || quantity < 1 || quantity > SubscriptionMath.MaxQuantity) errors["quantity"] = [$"The quantity must be between 1 and {SubscriptionMath.MaxQuantity:N0}."];
        var friendlyName = string.IsNullOrWhiteSpace(request.FriendlyName) ? null : request.FriendlyName.Trim();
        if (friendlyName?.Length > SubscriptionMath.MaxFriendlyName) errors["friendlyName"] = [$"The friendly name has at most {SubscriptionMath.MaxFriendlyName} characters."];
        var purchaseOrder = string.IsNullOrWhiteSpace(request.PurchaseOrderNumber) ? null : request.PurchaseOrderNumber.Trim();
        if (purchaseOrder?.Length > SubscriptionMath.MaxPurchaseOrderNumber) errors["purchaseOrderNumber"] = [$"The purchase order number has at most {SubscriptionMath.MaxPurchaseOrderNumber} characters."];
        if (TermEndAlignmentRules.Parse(request.CustomTermEndDate).Failure is { } badDate) errors[TermEndAlignmentRules.Field] = badDate.Errors![TermEndAlignmentRules.Field];
        if (errors.Count > 0) return Failure.Invalid(errors);
        return request with { FriendlyName = friendlyName, PurchaseOrderNumber = purchaseOrder };
    }

    /// <summary>
    /// Whether the offer can be bought in this quantity: one of the catalog, not an add-on bought alone, and for an add-on
    /// one that fits its active or suspended base (<paramref name="parent"/>, whose offer is <paramref name="parentOffer"/>).
    /// </summary>
    public static Failure? CheckOffer(string? requestedOfferId, CatalogOffer? offer, int quantity, O365Subscription? parent, CatalogOffer? parentOffer)
    {
        if (offer is null || offer.Hidden || !offer.Available)
        {
            return Failure.Invalid("offerId", $"{requestedOfferId} is not an offer of the catalog.");
        }
        if (parent is null && offer.IsAddOn)
        {
            return Failure.RuleRefused($"{offer.Name} is an add-on: buy it for a base subscription under Manage add-ons.");
        }
        if (parent is not null)
        {
            if (!offer.IsAddOn || parentOffer is null || !offer.BaseItemCodeList.Contains(parentOffer.ItemCode, StringComparer.OrdinalIgnoreCase))
            {
                return Failure.RuleRefused($"{offer.Name} is not an add-on of {parent.Name}.");
            }
            if (parent.Status is not (SubscriptionStatus.Active or SubscriptionStatus.Suspended))
            {
                return Failure.RuleRefused($"Add-ons can only be bought for an active or suspended subscription; {parent.Name} is {SubscriptionMath.Text(parent.Status)}.");
            }
        }
        if (quantity > offer.MaximumQuantity)
        {
            return Failure.Invalid("quantity", $"{offer.Name} is sold up to {offer.MaximumQuantity:N0} licenses per subscription.");
        }
        return null;
    }

    /// <summary>The offer's term asked for; with neither term nor frequency asked, 1 month billed monthly (else the offer's first).</summary>
    public static OfferTerm? ChooseTerm(CatalogOffer offer, string? termDuration, string? billingFrequency)
    {
        var terms = offer.TermList;
        var term = termDuration?.Trim().ToUpperInvariant();
        var frequency = billingFrequency?.Trim().ToLowerInvariant();
        if (term is null && frequency is null)
        {
            return terms.FirstOrDefault(t => t is { TermDuration: "P1M", BillingFrequency: "monthly" }) ?? terms.FirstOrDefault();
        }
        return terms.FirstOrDefault(t => (term is null || t.TermDuration == term) && (frequency is null || t.BillingFrequency == frequency));
    }

    /// <summary>Whether a recorded purchase is the one asked again under its Idempotency-Key (else the key was reused for another).</summary>
    public static bool IsSamePurchase(PurchaseIntent intent, Guid customerId, string offerId, int? quantity, Guid? parentId, DateOnly? customTermEndDate = null) =>
        intent.OrganizationId == customerId && intent.OfferId == offerId && intent.Quantity == quantity && intent.ParentSubscriptionId == parentId
        && intent.CustomTermEndDate == customTermEndDate;

    /// <summary>
    /// The subscription an earlier checkout of this purchase ordered: the one line of the tenant's orders since the purchase
    /// was recorded (a minute's leeway) for the same offer, quantity and base that no stored subscription and no other
    /// purchase has. Null unless exactly one fits.
    /// </summary>
    public static Guid? EarlierOrder(IEnumerable<Order> orders, DateTimeOffset recordedAt, CartLine line, IReadOnlyCollection<Guid> known, IReadOnlyCollection<Guid> claimed)
    {
        var candidates = orders
            .Where(o => o.CreationDate >= recordedAt.AddMinutes(-1))
            .SelectMany(o => o.LineItems)
            .Where(i => i.OfferId.Equals(line.CatalogItemId, StringComparison.OrdinalIgnoreCase) && i.Quantity == line.Quantity
                && i.ParentSubscriptionId == line.ParentSubscriptionId && !known.Contains(i.SubscriptionId) && !claimed.Contains(i.SubscriptionId))
            .Select(i => i.SubscriptionId)
            .ToList();
        return candidates.Count == 1 ? candidates[0] : null;
    }

    /// <summary>The status a new subscription is stored with from its order's: pending unless the order is known to be done, so nothing is billed early.</summary>
    public static SubscriptionStatus StatusOfOrder(string? orderStatus) =>
        orderStatus is null || orderStatus.Equals("pending", StringComparison.OrdinalIgnoreCase) ? SubscriptionStatus.Pending : SubscriptionStatus.Active;
}
