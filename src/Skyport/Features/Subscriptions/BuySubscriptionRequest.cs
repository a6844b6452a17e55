namespace Skyport.Features.Subscriptions;

public sealed record BuySubscriptionRequest(string? OfferId, int? Quantity, string? FriendlyName, string? PurchaseOrderNumber, string? TermDuration = null, string? BillingFrequency = null, string? CustomTermEndDate = null);
