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
}
