using Skyport.Features.Billing.Rating;

namespace Skyport.Features.Renewals;

/// <summary>What a subscription's end of term depends on, as plain values.</summary>
public sealed record RenewalFacts(
    Guid SubscriptionId,
    Guid CustomerId,
    string CustomerName,
    string SubscriptionName,
    string OfferId,
    int Quantity,
    decimal UnitPrice,
    PriceSource PriceSource,
    string Currency,
    TermDuration Term,
    BillingFrequency BillingFrequency,
    SubscriptionStatus Status,
    bool AutoRenew,
    bool CancelAtTermEnd,
    bool InExtendedTerm,
    DateOnly BoughtOn,
    DateOnly TermEnd,
    RenewalSchedule? Scheduled);
