namespace Skyport.Features.Subscriptions;

/// <summary>R10: what the next term is to be; a missing value stays as it is.</summary>
public sealed record ScheduleRenewalRequest(int? Quantity, string? OfferId, string? TermDuration, string? BillingFrequency);
