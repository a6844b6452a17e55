namespace Skyport.Features.Subscriptions;

public sealed record BuyAddOnRequest(string? OfferId, int? Quantity, string? TermDuration = null, string? BillingFrequency = null);
