namespace Skyport.PartnerCenterEmulator.Subscriptions;

/// <summary>One transition (upgrade) as Partner Center's Transition resource names it (transition-resources).</summary>
public sealed record TransitionRecord(
    Guid Id, string FromCatalogItemId, Guid FromSubscriptionId, string ToCatalogItemId, Guid ToSubscriptionId,
    int Quantity, string TermDuration, string BillingCycle, string TransitionType, DateTime At);
