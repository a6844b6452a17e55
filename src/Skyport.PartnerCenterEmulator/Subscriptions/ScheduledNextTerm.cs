namespace Skyport.PartnerCenterEmulator.Subscriptions;

/// <summary>
/// A subscription's <c>scheduledNextTermInstructions</c>: what its next term is to be, applied at the renewal
/// (create-scheduled-changes). Every field is filled: the ones the partner did not change carry the current values.
/// </summary>
public sealed record ScheduledNextTerm(
    string ProductId, string SkuId, string AvailabilityId, string BillingCycle, string TermDuration, int Quantity, DateOnly? CustomTermEndDate);
