using Skyport.Features.Billing.Rating;

namespace Skyport.Features.Users;

/// <summary>Seats bought for users who need a license, or removed once users no longer hold them (kept as the job's request).</summary>
public sealed record SeatRemoval(Guid SubscriptionId, int QuantityBefore, int Seats, IReadOnlyList<Guid> Holders);

/// <summary>What adding (a charge) or removing (a refund, negative) seats of a subscription costs, shown before confirming.</summary>
public sealed record SeatsQuote(Guid SubscriptionId, string Name, int Seats, decimal Amount, string Currency);

/// <summary>
/// "Seats follow licenses": how many seats to buy for a Subscribe that lacks free licenses, and how many of the seats an
/// Unsubscribe frees can go back (R7: only seats still inside their 168-hour window, newest first). No database, no Partner Center.
/// </summary>
public static class SeatsForLicensesRules
{
    /// <summary>The seats that can be removed at <paramref name="at"/>: the newest batches while their window is open.</summary>
    public static int RemovableNow(IReadOnlyList<SeatBatch> batches, DateTimeOffset at)
    {
        var seats = 0;
        for (var i = batches.Count - 1; i >= 0 && SeatWindows.IsOpen(batches[i], at); i--)
        {
            seats += batches[i].Seats;
        }
        return seats;
    }

    /// <summary>
    /// The removal an Unsubscribe of <paramref name="holders"/> (the users who hold the subscription's license) may make: as
    /// many seats as it frees and the window allows, never the last seat (that is a cancellation). Null when there is none.
    /// </summary>
    public static SeatRemoval? PlanRemoval(Guid subscriptionId, int quantity, int removableNow, IReadOnlyList<Guid> holders)
    {
        var seats = Math.Min(Math.Min(holders.Count, removableNow), quantity - 1);
        return seats > 0 ? new SeatRemoval(subscriptionId, quantity, seats, holders) : null;
    }

    /// <summary>
    /// The quantity to set once the job has run: the seats of users whose license was removed (at most the planned ones)
    /// come off the quantity the job started from. A fixed target, so that running it again after a crash removes nothing more.
    /// </summary>
    public static int TargetQuantity(SeatRemoval removal, IReadOnlyCollection<Guid> unassigned) =>
        removal.QuantityBefore - Math.Min(removal.Seats, removal.Holders.Count(unassigned.Contains));

    /// <summary>What <paramref name="seats"/> added on <paramref name="today"/> are charged until the cycle end (monthly) or the term end (annual), as billing rates them.</summary>
    public static decimal AddedCost(int seats, decimal unitPrice, DateOnly today, BillingFrequency frequency, int cycleEndDay, DateOnly termStart, DateOnly termEnd) =>
        -Refund(seats, unitPrice, today, frequency, cycleEndDay, termStart, termEnd);

    /// <summary>The refund (negative) for <paramref name="seats"/> removed on <paramref name="today"/> (R7).</summary>
    public static decimal Refund(int seats, decimal unitPrice, DateOnly today, BillingFrequency frequency, int cycleEndDay, DateOnly termStart, DateOnly termEnd) =>
        ChangeQuotes.Refund(seats, unitPrice, today, frequency, cycleEndDay, termEnd, termEnd.DayNumber - termStart.DayNumber + 1);
}
