using Skyport.Features.Billing.Rating;

namespace Skyport.Features.Subscriptions;

/// <summary>R10: what changes at the renewal; a null value stays as it is.</summary>
public sealed record ScheduledRenewalDto(int? Quantity, string? OfferId, string? TermDuration, string? BillingFrequency)
{
    public static ScheduledRenewalDto? Of(RenewalSchedule? schedule) => schedule is null ? null
        : new(schedule.Quantity, schedule.OfferId, schedule.TermDuration?.WireName(), schedule.BillingFrequency?.WireName());
}
