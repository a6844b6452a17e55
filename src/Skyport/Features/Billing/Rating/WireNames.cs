namespace Skyport.Features.Billing.Rating;

/// <summary>
/// The billing enums' names on the wire (the preview contract, issued reports, the API): <c>cycleFee</c>, <c>global</c>,
/// <c>P1Y</c>, <c>monthly</c>, <c>changeQuantity</c>. One table per enum, read both ways, so a name can only be spelled once.
/// </summary>
public static class WireNames
{
    private static readonly (LineType Value, string Name)[] LineTypes =
        [(LineType.CycleFee, "cycleFee"), (LineType.ProRata, "proRata"), (LineType.Refund, "refund")];

    private static readonly (PriceSource Value, string Name)[] PriceSources =
        [(PriceSource.Global, "global"), (PriceSource.Customer, "customer")];

    private static readonly (TermDuration Value, string Name)[] TermDurations =
        [(TermDuration.P1M, "P1M"), (TermDuration.P1Y, "P1Y")];

    private static readonly (BillingFrequency Value, string Name)[] BillingFrequencies =
        [(BillingFrequency.Monthly, "monthly"), (BillingFrequency.Annual, "annual")];

    private static readonly (SubscriptionEventType Value, string Name)[] EventTypes =
    [
        (SubscriptionEventType.Purchase, "purchase"),
        (SubscriptionEventType.ChangeQuantity, "changeQuantity"),
        (SubscriptionEventType.Suspend, "suspend"),
        (SubscriptionEventType.Activate, "activate"),
        (SubscriptionEventType.Cancel, "cancel"),
        (SubscriptionEventType.SetAutoRenew, "setAutoRenew"),
        (SubscriptionEventType.ScheduleRenewal, "scheduleRenewal"),
        (SubscriptionEventType.ClearSchedule, "clearSchedule"),
        (SubscriptionEventType.Upgrade, "upgrade"),
        (SubscriptionEventType.CancelAtTermEnd, "cancelAtTermEnd"),
    ];

    /// <summary>Every event type's wire name, in the contract's order, for messages that list them.</summary>
    public static IEnumerable<string> EventTypeNames => EventTypes.Select(pair => pair.Name);

    public static string WireName(this LineType type) => NameOf(LineTypes, type);

    public static string WireName(this PriceSource source) => NameOf(PriceSources, source);

    public static string WireName(this TermDuration term) => NameOf(TermDurations, term);

    public static string WireName(this BillingFrequency frequency) => NameOf(BillingFrequencies, frequency);

    public static string WireName(this SubscriptionEventType type) => NameOf(EventTypes, type);

    public static bool TryParse(string? text, out LineType type) => TryFind(LineTypes, text, out type);

    public static bool TryParse(string? text, out PriceSource source) => TryFind(PriceSources, text, out source);

    public static bool TryParse(string? text, out TermDuration term) => TryFind(TermDurations, text, out term);

    public static bool TryParse(string? text, out BillingFrequency frequency) => TryFind(BillingFrequencies, text, out frequency);

    public static bool TryParse(string? text, out SubscriptionEventType type) => TryFind(EventTypes, text, out type);

    private static string NameOf<T>((T Value, string Name)[] table, T value)
        where T : struct, Enum
    {
        foreach (var (candidate, name) in table)
        {
            if (EqualityComparer<T>.Default.Equals(candidate, value))
            {
                return name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(value), value, $"{typeof(T).Name} has no wire name for this value.");
    }

    // Exact, case-sensitive: the contract spells each value one way.
    private static bool TryFind<T>((T Value, string Name)[] table, string? text, out T value)
        where T : struct, Enum
    {
        foreach (var (candidate, name) in table)
        {
            if (string.Equals(name, text, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
