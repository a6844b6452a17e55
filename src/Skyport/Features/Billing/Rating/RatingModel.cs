namespace Skyport.Features.Billing.Rating;

public enum SubscriptionEventType
{
    Purchase,
    ChangeQuantity,
    Suspend,
    Activate,
    Cancel,
    SetAutoRenew,
    /// <summary>R10: replaces the changes scheduled for the next term.</summary>
    ScheduleRenewal,
    /// <summary>R10: removes the changes scheduled for the next term.</summary>
    ClearSchedule,
    /// <summary>R11: moves seats to a new, co-termed subscription of another offer.</summary>
    Upgrade,
    /// <summary>R12, R14.4: auto-renew off and the subscription expires at term end instead of entering the extended service term.</summary>
    CancelAtTermEnd,
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
/// changeQuantity) or the seats moved (upgrade); <see cref="AutoRenew"/> the new setting (setAutoRenew);
/// <see cref="AssignedLicenses"/>, when known, the licenses assigned to users at that instant, below which the
/// quantity cannot go. <see cref="Schedule"/> is the next term's changes (scheduleRenewal, R10),
/// <see cref="ToSubscriptionId"/> the upgrade's target (R11), <see cref="CustomTermEndDate"/> a co-terminous
/// purchase's first term end (R13).
/// </summary>
public sealed record SubscriptionEvent(
    DateTimeOffset At,
    string SubscriptionId,
    SubscriptionEventType Type,
    int? Quantity = null,
    bool? AutoRenew = null,
    int? AssignedLicenses = null,
    RenewalSchedule? Schedule = null,
    string? ToSubscriptionId = null,
    DateOnly? CustomTermEndDate = null);

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

/// <summary>
/// Refunds carry a positive quantity and a negative amount. <see cref="OfferId"/> is the offer billed (it can change at
/// renewal, R10); <see cref="Extended"/> marks a line of the extended service term (R12).
/// </summary>
public sealed record BillingLine(
    LineType Type,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    int Quantity,
    decimal UnitPrice,
    decimal Amount,
    PriceSource PriceSource,
    string OfferId,
    bool Extended = false);

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
