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
    /// <summary>R10: replaces the changes scheduled for the next term (<see cref="SubscriptionEventRecord.Schedule"/>).</summary>
    ScheduleRenewal,
    /// <summary>R10: removes the changes scheduled for the next term.</summary>
    ClearSchedule,
    /// <summary>R12: auto-renew off and the subscription ends at term end instead of entering the extended service term.</summary>
    CancelAtTermEnd,
    /// <summary>Seats moved from this subscription to another offer's (R11); the other is <see cref="SubscriptionEventRecord.RelatedSubscriptionId"/>.</summary>
    Upgrade,
    /// <summary>Seats an upgrade moved here from <see cref="SubscriptionEventRecord.RelatedSubscriptionId"/>; rated through the source's <see cref="Upgrade"/>.</summary>
    UpgradeInto,
}
