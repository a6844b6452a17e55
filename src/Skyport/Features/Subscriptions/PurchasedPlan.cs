namespace Skyport.Features.Subscriptions;

/// <summary>The offer, term duration and billing frequency (wire names) a subscription was bought with.</summary>
public sealed record PurchasedPlan(string OfferId, string TermDuration, string BillingFrequency);
