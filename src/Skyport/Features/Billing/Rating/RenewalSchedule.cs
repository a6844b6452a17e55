namespace Skyport.Features.Billing.Rating;

/// <summary>
/// R10: what changes when the subscription renews. A missing value keeps the current one; <see cref="Quantity"/> may be
/// lower or higher than today's.
/// </summary>
public sealed record RenewalSchedule(
    int? Quantity = null,
    string? OfferId = null,
    TermDuration? TermDuration = null,
    BillingFrequency? BillingFrequency = null)
{
    public bool IsEmpty => Quantity is null && OfferId is null && TermDuration is null && BillingFrequency is null;
}
