namespace Skyport.Features.Subscriptions;

public enum SubscriptionEventKind
{
    Purchase,
    ChangeQuantity,
    Suspend,
    Activate,
    Cancel,
    SetAutoRenew,
    Renew,
    /// <summary>Seats moved from this subscription to another offer's (R11); the other is <see cref="SubscriptionEventRecord.RelatedSubscriptionId"/>.</summary>
    Upgrade,
    /// <summary>Seats an upgrade moved here from <see cref="SubscriptionEventRecord.RelatedSubscriptionId"/>; rated through the source's <see cref="Upgrade"/>.</summary>
    UpgradeInto,
}
