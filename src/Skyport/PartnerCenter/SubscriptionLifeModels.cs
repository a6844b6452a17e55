namespace Skyport.PartnerCenter;

// Contracts of a subscription's new-commerce life: changes scheduled at renewal, upgrades (transitions), the extended
// service term and co-termed purchases. Wire names as Partner Center's (create-scheduled-changes, transition-resources,
// custom-term-end-dates); cancelAtTermEnd and extendedServiceTerm are the emulator's (its DIFFERENCES.md).

/// <summary>The product, term and billing cycle a subscription's next term is to have.</summary>
public sealed record ScheduledProduct(string ProductId, string SkuId, string AvailabilityId, string BillingCycle, string TermDuration);

/// <summary><c>scheduledNextTermInstructions</c>: applied at the renewal, deleted by any immediate change.</summary>
public sealed record ScheduledNextTermInstructions(ScheduledProduct Product, int Quantity, DateTimeOffset? CustomTermEndDate = null);

/// <summary>A subscription continuing month to month after a term ended with auto-renew off, at <see cref="UnitPrice"/> a seat.</summary>
public sealed record ExtendedServiceTerm(DateTimeOffset StartDate, decimal UnitPrice);

public sealed record TransitionEligibilityError(int Code, string Description);
public sealed record TransitionTypeEligibility(bool IsEligible, string TransitionType, IReadOnlyList<TransitionEligibilityError> Errors);
public sealed record TargetSubscriptionEligibility(
    bool IsEligible, Guid SubscriptionId, string? SubscriptionFriendlyName, string? SubscriptionTermDuration, string? SubscriptionBillingCycle,
    IReadOnlyList<TransitionEligibilityError> Errors);

/// <summary>A SKU the subscription may be upgraded to, by which transition types, and into which existing subscriptions.</summary>
public sealed record TransitionEligibility(
    string CatalogItemId, string Title, string? Description, int Quantity, IReadOnlyList<TransitionTypeEligibility> Eligibilities,
    IReadOnlyList<TargetSubscriptionEligibility>? SubscriptionEligibilities);

public static class TransitionTypes
{
    public const string TransitionOnly = "transition_only";
    /// <summary>Also moves the users' assigned licenses from the source SKU to the target.</summary>
    public const string WithLicenseTransfer = "transition_with_license_transfer";
}

/// <summary>An upgrade to ask for: <see cref="ToSubscriptionId"/> merges the seats into an existing subscription.</summary>
public sealed record TransitionRequest(string ToCatalogItemId, int Quantity, string TransitionType, Guid? ToSubscriptionId = null);

public sealed record TransitionEvent(string Name, string Status, DateTimeOffset Timestamp);

public sealed record Transition(
    string FromCatalogItemId, Guid FromSubscriptionId, string ToCatalogItemId, Guid ToSubscriptionId, int Quantity,
    string TermDuration, string BillingCycle, string TransitionType, IReadOnlyList<TransitionEvent>? Events);

public static class CustomTermEndDateTypes
{
    public const string CalendarMonthAligned = "calendarMonthAligned";
    public const string SubscriptionAligned = "subscriptionAligned";
}

/// <summary>An end date a new subscription may be bought with (<see cref="CartLine.CustomTermEndDate"/>).</summary>
public sealed record CustomTermEndDateOption(string AllowedCustomTermEndDateType, DateTime AllowedCustomTermEndDate, IReadOnlyList<Guid>? CotermSubscriptionIds);
