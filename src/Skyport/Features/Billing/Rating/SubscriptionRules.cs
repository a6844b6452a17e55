namespace Skyport.Features.Billing.Rating;

public enum SubscriptionStatus
{
    Active,
    Suspended,
    Cancelled,
    Expired,
    /// <summary>Bought, but Partner Center is still processing its order: not usable, not billed.</summary>
    Pending,
}

/// <summary>
/// R7 and R8 as answers to "may this change happen now?", shared by rating and by the live
/// subscription actions so that both refuse the same requests for the same reasons.
/// </summary>
public static class SubscriptionRules
{
    public const string BeingProcessed = "The subscription is being processed by Partner Center; it can be changed once it is active.";

    public static RuleDecision CanChangeQuantity(
        SubscriptionStatus status,
        IReadOnlyList<SeatBatch> batches,
        DateTimeOffset at,
        int newQuantity,
        int assignedLicenses = 0)
    {
        if (Ended(status) is { } ended)
        {
            return ended;
        }

        if (status == SubscriptionStatus.Suspended)
        {
            return RuleDecision.Refused("The subscription is suspended: activate it before changing its quantity.");
        }

        if (newQuantity < 1)
        {
            return RuleDecision.Refused("The quantity must be at least 1; cancel the subscription to end it.");
        }

        if (newQuantity < assignedLicenses)
        {
            return RuleDecision.Refused(
                $"The quantity cannot go below the {assignedLicenses} licenses assigned to users; unassign licenses first.");
        }

        return SeatWindows.CanReduce(batches, at, newQuantity);
    }

    public static RuleDecision CanCancel(
        SubscriptionStatus status,
        IReadOnlyList<SeatBatch> batches,
        DateTimeOffset at,
        int assignedLicenses = 0)
    {
        if (Ended(status) is { } ended)
        {
            return ended;
        }

        if (status == SubscriptionStatus.Suspended)
        {
            return RuleDecision.Refused("The subscription is suspended: activate it before cancelling it.");
        }

        if (assignedLicenses > 0)
        {
            return RuleDecision.Refused(
                $"The subscription cannot be cancelled while {assignedLicenses} licenses are assigned to users; unassign them first.");
        }

        return SeatWindows.CanCancel(batches, at);
    }

    public static RuleDecision CanSuspend(SubscriptionStatus status) => Ended(status) ?? RuleDecision.Allowed;

    public static RuleDecision CanActivate(SubscriptionStatus status) => Ended(status) ?? RuleDecision.Allowed;

    public static RuleDecision CanSetAutoRenew(SubscriptionStatus status, bool autoRenew)
    {
        if (Ended(status) is { } ended)
        {
            return ended;
        }

        return autoRenew && status == SubscriptionStatus.Suspended
            ? RuleDecision.Refused("Auto-renew cannot be turned on while the subscription is suspended: activate it first.")
            : RuleDecision.Allowed;
    }

    internal static RuleDecision? Ended(SubscriptionStatus status) => status switch
    {
        SubscriptionStatus.Cancelled => RuleDecision.Refused("The subscription is cancelled; it can no longer be changed."),
        SubscriptionStatus.Expired => RuleDecision.Refused("The subscription has expired; it can no longer be changed."),
        SubscriptionStatus.Pending => RuleDecision.Refused(SubscriptionRules.BeingProcessed),
        _ => null,
    };
}
