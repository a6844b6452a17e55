namespace Skyport.Features.Billing.Rating;

public enum SubscriptionEventType
{
    Purchase,
    ChangeQuantity,
    Suspend,
    Activate,
    Cancel,
    SetAutoRenew,
}

public sealed record SubscriptionPlan(
    string Id,
    string OfferId,
    TermDuration TermDuration,
    BillingFrequency BillingFrequency,
    bool AutoRenew,
    string? ParentId = null)
{
    public PriceKey PriceKey => new(OfferId, TermDuration, BillingFrequency);
}

/// <summary>
/// Something that happened to a subscription. <see cref="Quantity"/> is the new total (purchase,
/// changeQuantity); <see cref="AutoRenew"/> the new setting (setAutoRenew); <see cref="AssignedLicenses"/>,
/// when known, the licenses assigned to users at that instant, below which the quantity cannot go.
/// </summary>
public sealed record SubscriptionEvent(
    DateTimeOffset At,
    string SubscriptionId,
    SubscriptionEventType Type,
    int? Quantity = null,
    bool? AutoRenew = null,
    int? AssignedLicenses = null);

public sealed record RatingInput(
    int CycleEndDay,
    string Currency,
    PriceLists PriceLists,
    IReadOnlyList<SubscriptionPlan> Subscriptions,
    IReadOnlyList<SubscriptionEvent> Events,
    BillingMonth From,
    BillingMonth To);

public enum LineType
{
    CycleFee,
    ProRata,
    Refund,
}

/// <summary>Refunds carry a positive quantity and a negative amount.</summary>
public sealed record BillingLine(
    LineType Type,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    int Quantity,
    decimal UnitPrice,
    decimal Amount,
    PriceSource PriceSource);

public sealed record SubscriptionCharges(
    string SubscriptionId,
    string? ParentId,
    string OfferId,
    decimal Total,
    IReadOnlyList<BillingLine> Lines);

public sealed record BillingReport(
    DateOnly BillingDate,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    string Currency,
    decimal Total,
    IReadOnlyList<SubscriptionCharges> Subscriptions);

/// <summary>An event the rules refuse, by its index in the input; it changed nothing.</summary>
public sealed record RejectedEvent(int EventIndex, string Reason);

public sealed record RatingResult(IReadOnlyList<BillingReport> Reports, IReadOnlyList<RejectedEvent> Rejected);
