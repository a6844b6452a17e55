namespace Skyport.Features.Subscriptions;

public sealed record SubscriptionList(IReadOnlyList<SubscriptionDto> Items, int Total);
