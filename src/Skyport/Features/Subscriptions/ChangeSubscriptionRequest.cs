namespace Skyport.Features.Subscriptions;

public sealed record ChangeSubscriptionRequest(int? Quantity, string? Status, bool? AutoRenew, string? FriendlyName);
