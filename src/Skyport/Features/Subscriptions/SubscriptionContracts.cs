namespace Skyport.Features.Subscriptions;

public sealed record BuySubscriptionRequest(string? OfferId, int? Quantity, string? FriendlyName, string? PurchaseOrderNumber, string? TermDuration = null, string? BillingFrequency = null);

public sealed record ChangeSubscriptionRequest(int? Quantity, string? Status, bool? AutoRenew, string? FriendlyName);

public sealed record BuyAddOnRequest(string? OfferId, int? Quantity, string? TermDuration = null, string? BillingFrequency = null);

public sealed record SubscriptionDto(
    Guid Id,
    string OfferId,
    string Name,
    string? FriendlyName,
    string? PurchaseOrderNumber,
    int Quantity,
    int ConsumedQuantity,
    decimal UnitPrice,
    decimal MonthlyCost,
    string Currency,
    string PriceSource,
    string Status,
    bool AutoRenew,
    string TermDuration,
    string BillingFrequency,
    DateOnly StartDate,
    DateOnly RenewalDate,
    Guid? ParentSubscriptionId);

public sealed record SubscriptionList(IReadOnlyList<SubscriptionDto> Items, int Total);

public sealed record SubscriptionEventDto(
    DateTimeOffset At, string Kind, int QuantityBefore, int QuantityAfter, bool? AutoRenew, decimal UnitPrice, string PriceSource, string Currency, string Actor, string Side);
