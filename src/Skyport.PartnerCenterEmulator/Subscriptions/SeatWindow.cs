using Skyport.PartnerCenterEmulator.Core;

namespace Skyport.PartnerCenterEmulator.Subscriptions;

/// <summary>NCE's 168-hour rule: seats can be removed only within 168 hours of being added.</summary>
public static class SeatWindow
{
    public static int Refundable(IEnumerable<SeatAddition> additions, DateTime now) =>
        additions.Where(a => Terms.WithinReductionWindow(a.AddedAt, now)).Sum(a => a.Quantity);

    /// <summary>Removes <paramref name="count"/> seats, newest first; null when fewer are still refundable.</summary>
    public static List<SeatAddition>? Remove(IReadOnlyList<SeatAddition> additions, int count, DateTime now)
    {
        if (Refundable(additions, now) < count) return null;
        var result = additions.ToList();
        for (var i = result.Count - 1; i >= 0 && count > 0; i--)
        {
            if (!Terms.WithinReductionWindow(result[i].AddedAt, now)) continue;
            var take = Math.Min(count, result[i].Quantity);
            count -= take;
            result[i] = result[i] with { Quantity = result[i].Quantity - take };
        }
        return result.Where(a => a.Quantity > 0).ToList();
    }

    /// <summary>Takes <paramref name="count"/> seats newest first, inside their window or not: what stays and what moves.</summary>
    public static (List<SeatAddition> Kept, List<SeatAddition> Moved) Take(IReadOnlyList<SeatAddition> additions, int count)
    {
        var kept = additions.ToList();
        var moved = new List<SeatAddition>();
        for (var i = kept.Count - 1; i >= 0 && count > 0; i--)
        {
            var take = Math.Min(count, kept[i].Quantity);
            count -= take;
            moved.Insert(0, kept[i] with { Quantity = take });
            kept[i] = kept[i] with { Quantity = kept[i].Quantity - take };
        }
        return (kept.Where(a => a.Quantity > 0).ToList(), moved);
    }

    /// <summary>The refundableQuantity block of a subscription: seats still removable, with their deadlines.</summary>
    public static object RefundableQuantity(IEnumerable<SeatAddition> additions, DateTime now)
    {
        var open = additions.Where(a => Terms.WithinReductionWindow(a.AddedAt, now)).ToList();
        return new
        {
            totalQuantity = open.Sum(a => a.Quantity),
            details = open.Select(a => new { quantity = a.Quantity, allowedUntilDateTime = Pc.Date(a.AddedAt + Terms.ReductionWindow) }).ToArray(),
        };
    }
}
