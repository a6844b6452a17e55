using Skyport.PartnerCenterEmulator.Core;

namespace Skyport.PartnerCenterEmulator.Subscriptions;

/// <summary>
/// The end dates a new term may be given instead of its natural one (custom-term-end-dates): the end of a calendar
/// month, or the term end of one of the customer's active subscriptions, after the start and no later than the
/// natural end.
/// </summary>
public static class CustomTermEndDates
{
    public const string CalendarMonthAligned = "calendarMonthAligned";
    public const string SubscriptionAligned = "subscriptionAligned";

    public sealed record Allowed(string Type, DateOnly EndDate, IReadOnlyList<Guid> CotermSubscriptionIds);

    public static IReadOnlyList<Allowed> For(string termDuration, DateOnly start, IEnumerable<Subscription> customerSubscriptions, Guid? target = null)
    {
        var natural = Terms.TermEnd(start, termDuration, 0);
        var monthEnd = new DateOnly(natural.Year, natural.Month, 1).AddMonths(1).AddDays(-1);
        if (monthEnd > natural) monthEnd = new DateOnly(natural.Year, natural.Month, 1).AddDays(-1);
        var result = new List<Allowed>();
        if (target is null && monthEnd > start) result.Add(new Allowed(CalendarMonthAligned, monthEnd, []));
        result.AddRange(customerSubscriptions
            .Where(s => IsActive(s) && (target is null || s.Id == target) && s.CommitmentEndDate > start && s.CommitmentEndDate <= natural)
            .GroupBy(s => s.CommitmentEndDate)
            .OrderBy(g => g.Key)
            .Select(g => new Allowed(SubscriptionAligned, g.Key, g.Select(s => s.Id).ToList())));
        return result;
    }

    /// <summary>Neither suspended, extended, cancelled nor expired (R14.7).</summary>
    public static bool IsActive(Subscription s) => s.Status == SubscriptionStatuses.Active && s.ExtendedSince is null;

    public static bool IsAllowed(DateOnly end, string termDuration, DateOnly start, IEnumerable<Subscription> customerSubscriptions) =>
        For(termDuration, start, customerSubscriptions).Any(a => a.EndDate == end);

    public static object Json(Allowed a) => a.Type == CalendarMonthAligned
        ? new { allowedCustomTermEndDateType = a.Type, allowedCustomTermEndDate = a.EndDate.ToString("yyyy-MM-dd") + "T00:00:00" }
        : new { allowedCustomTermEndDateType = a.Type, allowedCustomTermEndDate = a.EndDate.ToString("yyyy-MM-dd") + "T00:00:00", cotermSubscriptionIds = a.CotermSubscriptionIds.ToArray() } as object;
}
