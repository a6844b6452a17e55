using Skyport.Features.Billing.Rating;
using Skyport.Features.Catalog;
using Skyport.Web;

namespace Skyport.Features.Subscriptions;

/// <summary>The rules of a change scheduled for a subscription's renewal (R10) that need no database and no Partner Center.</summary>
public static class ScheduleRenewalRules
{
    /// <summary>The request's fields, checked and parsed: 400 naming each bad field.</summary>
    public static Outcome<RenewalSchedule> Check(ScheduleRenewalRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Quantity is null && request.OfferId is null && request.TermDuration is null && request.BillingFrequency is null)
            errors["quantity"] = ["Say what changes at renewal: quantity, offerId, termDuration or billingFrequency."];
        if (request.Quantity is < 1 or > SubscriptionMath.MaxQuantity)
            errors["quantity"] = [$"The quantity at renewal must be between 1 and {SubscriptionMath.MaxQuantity:N0}."];
        var offerId = request.OfferId?.Trim();
        if (offerId is { Length: 0 or > 64 }) errors["offerId"] = ["The offer ID must be a catalog offer's ID."];
        TermDuration? term = null;
        if (request.TermDuration is not null)
        {
            if (WireNames.TryParse(request.TermDuration.Trim().ToUpperInvariant(), out TermDuration parsed)) term = parsed;
            else errors["termDuration"] = ["The term duration must be P1M or P1Y."];
        }
        BillingFrequency? frequency = null;
        if (request.BillingFrequency is not null)
        {
            if (WireNames.TryParse(request.BillingFrequency.Trim().ToLowerInvariant(), out BillingFrequency parsed)) frequency = parsed;
            else errors["billingFrequency"] = ["The billing frequency must be monthly or annual."];
        }
        if (errors.Count > 0) return Failure.Invalid(errors);
        return new RenewalSchedule(request.Quantity, offerId, term, frequency);
    }

    /// <summary>
    /// Why <paramref name="schedule"/> cannot be scheduled for <paramref name="s"/> (422 naming the field), or null.
    /// <paramref name="offer"/> is the catalog offer the next term would have; <paramref name="priced"/> whether it has a
    /// price in force on the renewal date for the next term's duration and frequency.
    /// </summary>
    public static Failure? Refusal(O365Subscription s, RenewalSchedule schedule, CatalogOffer? offer, bool priced)
    {
        var frequency = Frequency(s.BillingFrequency);
        var decision = RenewalRules.CanSchedule(s.Status, s.ExtendedSince is not null, s.AutoRenew, s.Term, frequency, schedule);
        if (!decision.IsAllowed)
        {
            var field = !s.AutoRenew && s.ExtendedSince is null && s.Status == SubscriptionStatus.Active ? "autoRenew"
                : schedule.BillingFrequency is not null ? "billingFrequency"
                : schedule.TermDuration is not null ? "termDuration"
                : "quantity";
            return Refused(field, decision.Reason!);
        }
        if (!RenewalRules.Changes(schedule, s.Quantity, s.OfferId, s.Term, frequency))
            return Refused(schedule.Quantity is not null ? "quantity" : "offerId", "The schedule changes nothing: the subscription already renews so.");
        if (offer is null || !offer.Available || offer.IsAddOn != (s.ParentSubscriptionId is not null))
            return Refused("offerId", $"The offer '{schedule.OfferId ?? s.OfferId}' is not in the catalog.");
        var term = (schedule.TermDuration ?? s.Term).WireName();
        var billing = (schedule.BillingFrequency ?? frequency).WireName();
        if (!offer.TermList.Contains(new OfferTerm(term, billing)))
            return Refused(schedule.TermDuration is not null ? "termDuration" : "billingFrequency", $"{offer.Name} is not offered for {term} billed {billing}.");
        if (schedule.Quantity is { } q && (q < offer.MinimumQuantity || q > offer.MaximumQuantity))
            return Refused("quantity", $"{offer.Name} is sold in quantities of {offer.MinimumQuantity} to {offer.MaximumQuantity:N0}.");
        if (!priced)
            return Refused("offerId", $"{offer.Name} has no price for {term} billed {billing} on the renewal date.");
        return null;
    }

    public static BillingFrequency Frequency(string billingFrequency) =>
        billingFrequency == "annual" ? BillingFrequency.Annual : BillingFrequency.Monthly;

    /// <summary>A 422 whose <c>errors</c> name the field, so that the form shows it beside that field.</summary>
    public static Failure Refused(string field, string reason)
    {
        var errors = new Dictionary<string, string[]> { [field] = [reason] };
        return new Failure(FailureKind.RuleRefused, reason, errors) { Extensions = new Dictionary<string, object?> { ["errors"] = errors } };
    }
}
