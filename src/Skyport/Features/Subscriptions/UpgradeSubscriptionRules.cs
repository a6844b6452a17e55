using Skyport.Features.Billing.Rating;
using Skyport.PartnerCenter;
using Skyport.Web;

namespace Skyport.Features.Subscriptions;

/// <summary>The rules of an upgrade (R11) that need no database and no Partner Center.</summary>
public static class UpgradeSubscriptionRules
{
    /// <summary>The request's fields, checked, with the offer id trimmed and license transfer off unless asked.</summary>
    public static Outcome<UpgradeSubscriptionRequest> Check(UpgradeSubscriptionRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.ToOfferId)) errors["toOfferId"] = ["Choose the offer to upgrade to."];
        if (request.Quantity is not (>= 1 and <= SubscriptionMath.MaxQuantity)) errors["quantity"] = [$"The quantity must be between 1 and {SubscriptionMath.MaxQuantity:N0}."];
        if (errors.Count > 0) return Failure.Invalid(errors);
        return request with { ToOfferId = request.ToOfferId!.Trim(), TransferLicenses = request.TransferLicenses ?? false };
    }

    /// <summary>
    /// Whether <paramref name="seats"/> of the source may move to <paramref name="toOfferId"/> now (<see cref="UpgradeRules.CanUpgrade"/>):
    /// a pending, suspended, cancelled, expired or extended source is refused; a number of seats the source does not have names the quantity.
    /// </summary>
    public static Failure? CheckSource(O365Subscription source, bool extended, int seats, string toOfferId)
    {
        var decision = UpgradeRules.CanUpgrade(source.Status, extended, source.Quantity, seats, source.OfferId, toOfferId);
        if (decision.IsAllowed) return null;
        if (source.Status == SubscriptionStatus.Active && !extended)
        {
            return seats < 1 || seats > source.Quantity
                ? Failure.Invalid("quantity", $"Choose between 1 and {source.Quantity} seats: {source.Name} has {source.Quantity}.")
                : Failure.Invalid("toOfferId", decision.Reason!);
        }
        return Failure.RuleRefused(decision.Reason!);
    }

    /// <summary>Why Partner Center refuses every upgrade of the source (not active, extended, being provisioned); null when it allows some.</summary>
    public static string? SourceRefusal(IReadOnlyList<TransitionEligibility> eligibilities) =>
        eligibilities.Count > 0 && eligibilities.All(e => e.Eligibilities.All(t => !t.IsEligible))
            ? eligibilities.SelectMany(e => e.Eligibilities).SelectMany(t => t.Errors).Select(e => e.Description).FirstOrDefault()
            : null;

    /// <summary>The catalog item ids Partner Center would upgrade the source to now, by the transition type asked.</summary>
    public static IReadOnlySet<string> EligibleOfferIds(IReadOnlyList<TransitionEligibility> eligibilities, bool transferLicenses)
    {
        var type = transferLicenses ? TransitionTypes.WithLicenseTransfer : TransitionTypes.TransitionOnly;
        return eligibilities.Where(e => e.Eligibilities.Any(t => t.IsEligible && t.TransitionType == type))
            .Select(e => e.CatalogItemId).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The target must be one of the <paramref name="eligible"/> offers Skyport sells (priced for the customer).</summary>
    public static Failure? CheckTarget(string toOfferId, IReadOnlyList<UpgradeOfferDto> eligible, string sourceName) =>
        eligible.Any(o => o.OfferId.Equals(toOfferId, StringComparison.OrdinalIgnoreCase))
            ? null
            : Failure.Invalid("toOfferId", eligible.Count == 0
                ? $"{sourceName} cannot be upgraded to any offer sold here."
                : $"{toOfferId} is not an upgrade of {sourceName}. Choose one of: {string.Join(", ", eligible.Select(o => $"{o.Name} ({o.OfferId})"))}.");

    /// <summary>
    /// R11: what moving <paramref name="seats"/> of the source to a target at <paramref name="targetUnitPrice"/> on
    /// <paramref name="today"/> bills: a refund on the source and a charge on the target for the same days.
    /// </summary>
    public static UpgradeQuote Quote(O365Subscription source, int seats, decimal targetUnitPrice, DateOnly today, int cycleEndDay)
    {
        var index = today < source.StartDate ? 0 : Terms.IndexContaining(source.StartDate, source.Term, today);
        return ChangeQuotes.Upgrade(
            seats, today, source.Frequency, cycleEndDay,
            Terms.End(source.StartDate, source.Term, index), Terms.Days(source.StartDate, source.Term, index), source.UnitPrice, targetUnitPrice);
    }

    /// <summary>
    /// A refusal of the transition by Partner Center, naming the field it is about where Partner Center says
    /// (the target offer, the quantity); anything else is refused as a rule.
    /// </summary>
    public static Failure Refused(PartnerCenterError error)
    {
        if (error.Code == "2002") return Failure.Invalid("quantity", $"Partner Center refused the quantity: {error.Description}");
        if (error.Code == "800004" || error.Data.Contains("toCatalogItemId", StringComparer.OrdinalIgnoreCase))
            return Failure.Invalid("toOfferId", $"Partner Center refused the offer: {error.Description}");
        return Failure.RuleRefused($"Partner Center refused the upgrade: {error.Description}");
    }

    /// <summary>
    /// The transition an earlier attempt made, found in the source's history: from this source, to the same offer, with
    /// the same seats, and not the target of another recorded upgrade (<paramref name="claimed"/>).
    /// </summary>
    public static Transition? Earlier(IReadOnlyList<Transition> transitions, Guid sourceId, string toOfferId, int seats, IReadOnlyCollection<Guid> claimed) =>
        transitions.LastOrDefault(t => t.FromSubscriptionId == sourceId
            && t.ToCatalogItemId.Equals(toOfferId, StringComparison.OrdinalIgnoreCase)
            && t.Quantity == seats
            && !claimed.Contains(t.ToSubscriptionId));
}
