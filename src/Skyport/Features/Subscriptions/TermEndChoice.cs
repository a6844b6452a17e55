namespace Skyport.Features.Subscriptions;

/// <summary>
/// A date a new subscription's first term may end on (R13), as Partner Center offers it: the end of a month, or the current
/// term end of the customer's subscriptions named in <see cref="AlignedWith"/>.
/// </summary>
public sealed record TermEndChoice(DateOnly Date, bool MonthEnd, IReadOnlyList<TermEndChoice.Subscription> AlignedWith)
{
    public sealed record Subscription(Guid Id, string Name);

    /// <summary>How a person reads the choice: "the end of the month" or the subscriptions it lines up with.</summary>
    public string Label => AlignedWith.Count > 0
        ? $"{string.Join(", ", AlignedWith.Select(s => s.Name))} (ends {Date:d MMM yyyy})"
        : $"The end of the month ({Date:d MMM yyyy})";
}
