namespace Skyport.Features.Billing.Rating;

/// <summary>R11, R14.3: may seats of a subscription be upgraded to another offer now?</summary>
public static class UpgradeRules
{
    public static RuleDecision CanUpgrade(
        SubscriptionStatus status,
        bool extended,
        int sourceQuantity,
        int seats,
        string sourceOfferId,
        string targetOfferId)
    {
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
            return RuleDecision.Refused("The subscription is suspended: activate it before upgrading it.");
        }

        if (seats < 1)
        {
            return RuleDecision.Refused("An upgrade moves at least 1 seat.");
        }

        if (seats > sourceQuantity)
        {
            return RuleDecision.Refused($"An upgrade cannot move {seats} seats: the subscription has {sourceQuantity}.");
        }

        return string.Equals(sourceOfferId, targetOfferId, StringComparison.Ordinal)
            ? RuleDecision.Refused($"The subscription is already on {targetOfferId}: an upgrade needs another offer.")
            : RuleDecision.Allowed;
    }
}
