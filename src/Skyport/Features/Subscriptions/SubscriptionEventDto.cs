namespace Skyport.Features.Subscriptions;

public sealed record SubscriptionEventDto(
    DateTimeOffset At, string Kind, int QuantityBefore, int QuantityAfter, bool? AutoRenew, decimal UnitPrice, string PriceSource, string Currency, string Actor, string Side,
    Guid? RelatedSubscriptionId = null);
