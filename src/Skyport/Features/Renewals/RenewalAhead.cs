using Skyport.Features.Billing.Rating;

namespace Skyport.Features.Renewals;

/// <summary>One subscription whose term ends within the window asked for, and what its monthly amount becomes.</summary>
public sealed record RenewalAhead(
    Guid SubscriptionId,
    Guid CustomerId,
    string CustomerName,
    string SubscriptionName,
    string OfferId,
    DateOnly TermEnd,
    RenewalAction Action,
    string Changes,
    int QuantityBefore,
    int QuantityAfter,
    decimal MonthlyBefore,
    decimal MonthlyAfter,
    string Currency,
    PriceSource? PriceSourceAfter)
{
    /// <summary>The day the action takes effect.</summary>
    public DateOnly EffectiveOn => TermEnd.AddDays(1);
}
