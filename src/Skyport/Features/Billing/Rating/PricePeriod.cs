namespace Skyport.Features.Billing.Rating;

/// <summary>
/// Consecutive days billed at one unit price from one source, for one offer and billing frequency; a renewal that
/// changes none of them (and applies no schedule, R14.5) continues it.
/// </summary>
internal readonly record struct PricePeriod(
    DateOnly Start,
    DateOnly End,
    decimal UnitPrice,
    PriceSource Source,
    string OfferId,
    BillingFrequency Frequency,
    bool Extended);
