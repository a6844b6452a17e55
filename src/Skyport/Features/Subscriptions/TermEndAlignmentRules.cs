using System.Globalization;
using Skyport.Features.Billing.Rating;
using Skyport.PartnerCenter;
using Skyport.Web;

namespace Skyport.Features.Subscriptions;

/// <summary>The rules of a co-terminous purchase (R13) that need no database and no Partner Center.</summary>
public static class TermEndAlignmentRules
{
    public const string Field = "customTermEndDate";

    /// <summary>The date asked for, when it is one; else the problem naming the field.</summary>
    public static Outcome<DateOnly?> Parse(string? customTermEndDate)
    {
        if (string.IsNullOrWhiteSpace(customTermEndDate)) return (DateOnly?)null;
        return DateOnly.TryParseExact(customTermEndDate.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? (DateOnly?)date
            : Failure.Invalid(Field, $"'{customTermEndDate}' is not a date in the form YYYY-MM-DD.");
    }

    /// <summary>
    /// The choices Partner Center offers, each with the subscriptions it aligns with by name; subscriptions Skyport does not
    /// know are left out of the names (the date still stands for the month end or for the others).
    /// </summary>
    public static IReadOnlyList<TermEndChoice> Choices(IEnumerable<CustomTermEndDateOption> offered, IReadOnlyDictionary<Guid, string> names) =>
        [.. offered
            .GroupBy(o => DateOnly.FromDateTime(o.AllowedCustomTermEndDate))
            .OrderBy(g => g.Key)
            .Select(g => new TermEndChoice(
                g.Key,
                g.Any(o => o.AllowedCustomTermEndDateType == CustomTermEndDateTypes.CalendarMonthAligned),
                [.. g.SelectMany(o => o.CotermSubscriptionIds ?? []).Distinct()
                    .Where(names.ContainsKey).Select(id => new TermEndChoice.Subscription(id, names[id]))]))];

    /// <summary>
    /// The co-termed first term end of a subscription Partner Center shows in its first term (bought elsewhere, or adopted
    /// before its purchase stored it): its commitment end when that comes before the natural first term end; else null.
    /// </summary>
    public static DateOnly? CustomFirstTermEnd(DateOnly start, string termDuration, DateOnly commitmentEnd) =>
        Enum.TryParse<TermDuration>(termDuration, out var term) && commitmentEnd >= start && commitmentEnd < CoterminousPurchase.NaturalFirstTermEnd(start, term)
            ? commitmentEnd
            : null;

    /// <summary>
    /// Whether a purchase on <paramref name="purchaseDate"/> may end its first term on <paramref name="customEnd"/>: R13
    /// (a month end or an active subscription's term end, within the natural first term), and one of the dates Partner
    /// Center offers. Null when it may; else the problem naming the field.
    /// </summary>
    public static Failure? Check(
        DateOnly customEnd, DateOnly purchaseDate, TermDuration term, IEnumerable<DateOnly> activeTermEnds, IReadOnlyList<TermEndChoice> offered)
    {
        var decision = CoterminousPurchase.CanEndFirstTermOn(purchaseDate, term, customEnd, activeTermEnds);
        if (!decision.IsAllowed) return Failure.Invalid(Field, decision.Reason!);
        if (offered.Any(c => c.Date == customEnd)) return null;
        return Failure.Invalid(Field, offered.Count == 0
            ? $"Partner Center offers no custom term end date for this term today, so {customEnd:yyyy-MM-dd} cannot be chosen."
            : $"Partner Center does not offer {customEnd:yyyy-MM-dd} as a term end; it offers {string.Join(", ", offered.Select(c => c.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))}.");
    }
}
