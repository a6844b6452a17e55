namespace Skyport.Features.Renewals;

/// <summary>Which notice a term end calls for today: the nearest threshold it has crossed, once per term and threshold.</summary>
public static class RenewalNoticeRules
{
    /// <summary>The threshold (days before the term ends) due today, or null when the term ends beyond every threshold or has ended.</summary>
    public static int? ThresholdDue(DateOnly termEnd, DateOnly today, IReadOnlyCollection<int> daysBefore)
    {
        var left = termEnd.DayNumber - today.DayNumber;
        return left < 0 ? null : daysBefore.Where(d => d >= left).Order().Cast<int?>().FirstOrDefault();
    }

    /// <summary>
    /// The renewals an organization is told about today: those with a threshold due that it has not been told about, at that
    /// threshold or a nearer one (a notice 7 days ahead makes the 30-day one pointless). <paramref name="nearestTold"/> holds, per
    /// term, the nearest threshold already told.
    /// </summary>
    public static IReadOnlyList<(RenewalAhead Renewal, int DaysBefore)> Due(
        IEnumerable<RenewalAhead> renewals, DateOnly today, IReadOnlyCollection<int> daysBefore, IReadOnlyDictionary<(Guid SubscriptionId, DateOnly TermEnd), int> nearestTold) =>
        [.. renewals
            .Select(r => (Renewal: r, Due: ThresholdDue(r.TermEnd, today, daysBefore)))
            .Where(x => x.Due is { } due && !(nearestTold.TryGetValue((x.Renewal.SubscriptionId, x.Renewal.TermEnd), out var told) && told <= due))
            .Select(x => (x.Renewal, x.Due!.Value))];
}
