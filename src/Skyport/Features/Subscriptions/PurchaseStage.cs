namespace Skyport.Features.Subscriptions;

public enum PurchaseStage
{
    /// <summary>Recorded; the cart may or may not exist in Partner Center.</summary>
    Started,
    /// <summary>The cart exists; the checkout may or may not have been placed.</summary>
    CartCreated,
    /// <summary>The order exists; Skyport may not have stored the subscription yet.</summary>
    Ordered,
    Completed,
    Refused,
}
