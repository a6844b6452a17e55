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
}
