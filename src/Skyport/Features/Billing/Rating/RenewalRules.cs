namespace Skyport.Features.Billing.Rating;

/// <summary>R10, R14.5: may changes be scheduled for the next term, and does a schedule change anything?</summary>
public static class RenewalRules
{
    public static RuleDecision CanSchedule(
        SubscriptionStatus status,
        bool extended,
        bool autoRenew,
        TermDuration currentTerm,
        BillingFrequency currentFrequency,
        RenewalSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (SubscriptionRules.Ended(status) is { } ended)
        {
            return ended;
        }

        if (extended)
        {
            return ExtendedServiceTerm.OnlyCancellation;
        }

        if (status == SubscriptionStatus.Suspended)
        {
            return RuleDecision.Refused("The subscription is suspended: activate it and turn auto-renew on before scheduling changes at renewal.");
        }

        if (!autoRenew)
        {
            return RuleDecision.Refused("Changes at renewal need auto-renew on: the subscription does not renew.");
        }

        if (schedule.IsEmpty)
        {
            return RuleDecision.Refused("A change at renewal needs a new quantity, offer, term or billing frequency.");
        }

        if (schedule.Quantity is < 1)
        {
            return RuleDecision.Refused("The quantity at renewal must be at least 1; cancel at term end to end the subscription.");
        }

        if ((schedule.BillingFrequency ?? currentFrequency) == BillingFrequency.Annual
            && (schedule.TermDuration ?? currentTerm) != TermDuration.P1Y)
        {
            return RuleDecision.Refused("Annual billing is only available for a one-year (P1Y) term.");
        }

        return RuleDecision.Allowed;
    }

    /// <summary>R14.5: a schedule equal to the current values is ignored; any other one splits the cycle at the renewal.</summary>
    public static bool Changes(
        RenewalSchedule? schedule, int quantity, string offerId, TermDuration term, BillingFrequency frequency) =>
        schedule is not null
        && ((schedule.Quantity is { } q && q != quantity)
            || (schedule.OfferId is { } o && !string.Equals(o, offerId, StringComparison.Ordinal))
            || (schedule.TermDuration is { } t && t != term)
            || (schedule.BillingFrequency is { } f && f != frequency));
}
