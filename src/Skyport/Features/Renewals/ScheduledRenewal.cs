using Skyport.Features.Billing.Rating;

namespace Skyport.Features.Renewals;

/// <summary>Changes scheduled for the next term (R10); a value left null stays as it is.</summary>
public sealed record ScheduledRenewal(int? Quantity = null, string? OfferId = null, TermDuration? Term = null, BillingFrequency? BillingFrequency = null);
