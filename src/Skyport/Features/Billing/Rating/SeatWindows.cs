using System.Globalization;

namespace Skyport.Features.Billing.Rating;

/// <summary>Seats added together (a purchase, an increase or a renewal); they share one 168-hour window.</summary>
public readonly record struct SeatBatch(DateTimeOffset AddedAt, int Seats)
{
    public DateTimeOffset WindowEnd => AddedAt + SeatWindows.Window;
}

/// <summary>The answer of a rule: allowed, or refused with a reason a person understands.</summary>
public sealed record RuleDecision(bool IsAllowed, string? Reason = null, DateTimeOffset? WindowClosedAt = null)
{
    public static readonly RuleDecision Allowed = new(true);

    public static RuleDecision Refused(string reason, DateTimeOffset? windowClosedAt = null) =>
        new(false, reason, windowClosedAt);
}

/// <summary>
/// R7: seats can be removed only within 168 hours (inclusive) of being added. Each batch has its own
/// window and the newest batches are removed first. Batches are kept oldest first.
/// </summary>
public static class SeatWindows
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(168);

    public static bool IsOpen(SeatBatch batch, DateTimeOffset at) => at >= batch.AddedAt && at <= batch.WindowEnd;

    public static int Seats(IReadOnlyList<SeatBatch> batches)
    {
        var seats = 0;
        foreach (var batch in batches)
        {
            seats += batch.Seats;
        }

        return seats;
    }

    /// <summary>Whether the seats above <paramref name="newQuantity"/> can be removed at <paramref name="at"/>.</summary>
    public static RuleDecision CanReduce(IReadOnlyList<SeatBatch> batches, DateTimeOffset at, int newQuantity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(newQuantity);
        var toRemove = Seats(batches) - newQuantity;
        for (var i = batches.Count - 1; i >= 0 && toRemove > 0; i--)
        {
            if (!IsOpen(batches[i], at))
            {
                return RuleDecision.Refused(
                    newQuantity == 0
                        ? $"A subscription can only be cancelled within 168 hours of its seats being added; the window closed at {Format(batches[i].WindowEnd)}."
                        : $"Seats can only be removed within 168 hours of being added; the window for these seats closed at {Format(batches[i].WindowEnd)}.",
                    batches[i].WindowEnd);
            }

            toRemove -= batches[i].Seats;
        }

        return RuleDecision.Allowed;
    }

    /// <summary>A cancellation removes every seat, so every batch must still be in its window.</summary>
    public static RuleDecision CanCancel(IReadOnlyList<SeatBatch> batches, DateTimeOffset at) => CanReduce(batches, at, 0);

    public static IReadOnlyList<SeatBatch> Add(IReadOnlyList<SeatBatch> batches, DateTimeOffset at, int seats) =>
        [.. batches, new SeatBatch(at, seats)];

    /// <summary>Removes the seats above <paramref name="newQuantity"/>, newest batches first.</summary>
    public static IReadOnlyList<SeatBatch> Reduce(IReadOnlyList<SeatBatch> batches, int newQuantity)
    {
        var kept = new List<SeatBatch>(batches.Count);
        var remaining = newQuantity;
        foreach (var batch in batches)
        {
            if (remaining <= 0)
            {
                break;
            }

            kept.Add(batch with { Seats = Math.Min(batch.Seats, remaining) });
            remaining -= batch.Seats;
        }

        return kept;
    }

    /// <summary>
    /// R11, R14.3: the seats above <paramref name="keptQuantity"/>, taken newest batches first as removals are, with the
    /// windows they had: an upgrade moves them to its target without reopening them. Oldest first, like every batch list.
    /// </summary>
    public static IReadOnlyList<SeatBatch> Moved(IReadOnlyList<SeatBatch> batches, int keptQuantity)
    {
        var moved = new List<SeatBatch>(batches.Count);
        var kept = keptQuantity;
        foreach (var batch in batches)
        {
            var keptHere = Math.Clamp(kept, 0, batch.Seats);
            if (batch.Seats > keptHere)
            {
                moved.Add(batch with { Seats = batch.Seats - keptHere });
            }

            kept -= keptHere;
        }

        return moved;
    }

    /// <summary>A renewal opens one new window for every seat, from 00:00 UTC of the renewal date.</summary>
    public static IReadOnlyList<SeatBatch> Renew(DateOnly renewalDate, int seats) =>
        seats > 0 ? [new SeatBatch(Utc.StartOf(renewalDate), seats)] : [];

    private static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
