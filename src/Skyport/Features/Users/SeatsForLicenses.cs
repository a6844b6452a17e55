using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Audit;
using Skyport.Features.Billing.Rating;
using Skyport.Features.Billing.Reports;
using Skyport.Features.Subscriptions;
using Skyport.Web;

namespace Skyport.Features.Users;

/// <summary>
/// "Seats follow licenses": buys the seats a Subscribe lacks (a quantity increase through <see cref="ChangeSubscription"/>)
/// and gives back the seats an Unsubscribe freed while they are inside their 168-hour window, with what each costs.
/// </summary>
public sealed class SeatsForLicenses(SkyportDbContext db, ChangeSubscription change, BillingReports billing, AuditLog audit, TimeProvider clock)
{
    private DateOnly Today => Utc.DateOf(clock.GetUtcNow());

    /// <summary>What buying the missing seats costs, per subscription short of licenses.</summary>
    public async Task<IReadOnlyList<SeatsQuote>> AddQuotesAsync(Guid customerId, IReadOnlyList<LicenseShortage> shortages, CancellationToken ct) =>
        await QuotesAsync(customerId, shortages.Select(s => (s.SubscriptionId, s.Needed - s.Available)), adding: true, ct);

    /// <summary>What removing the planned seats refunds (negative amounts).</summary>
    public async Task<IReadOnlyList<SeatsQuote>> RemoveQuotesAsync(Guid customerId, IReadOnlyList<SeatRemoval> removals, CancellationToken ct) =>
        await QuotesAsync(customerId, removals.Select(r => (r.SubscriptionId, r.Seats)), adding: false, ct);

    /// <summary>Raises each short subscription's quantity by the licenses it lacks; the first refusal stops and is answered.</summary>
    public async Task<Failure?> AddAsync(Guid customerId, IReadOnlyList<LicenseShortage> shortages, CancellationToken ct)
    {
        foreach (var shortage in shortages)
        {
            var quantity = await db.O365Subscriptions.AsNoTracking().Where(s => s.Id == shortage.SubscriptionId).Select(s => s.Quantity).SingleAsync(ct);
            var changed = await change.ChangeAsync(customerId, shortage.SubscriptionId, new ChangeSubscriptionRequest(quantity + shortage.Needed - shortage.Available, null, null, null), ct);
            if (!changed.Succeeded)
            {
                return changed.Failure! with { Detail = $"The missing seats of {shortage.Name} could not be bought, so nothing was assigned: {changed.Failure!.Detail}" };
            }
        }
        return null;
    }

    /// <summary>The seats an Unsubscribe of <paramref name="holders"/> would free and may remove, per subscription.</summary>
    public async Task<IReadOnlyList<SeatRemoval>> PlanRemovalsAsync(Guid customerId, IReadOnlyList<LicensedSubscription> subscriptions, IReadOnlyList<LicenseHolder> holders, CancellationToken ct)
    {
        var removals = new List<SeatRemoval>();
        var now = clock.GetUtcNow();
        foreach (var licensed in subscriptions.Where(s => s.SkuId is not null))
        {
            var s = await db.O365Subscriptions.AsNoTracking().SingleAsync(x => x.Id == licensed.Id && x.OrganizationId == customerId, ct);
            var events = await db.SubscriptionEvents.AsNoTracking().Where(e => e.SubscriptionId == s.Id)
                .Select(e => new { e.At, e.Kind, e.QuantityBefore, e.QuantityAfter }).ToListAsync(ct);
            var batches = SubscriptionMath.Batches(events.Select(e => (e.At, e.Kind, e.QuantityBefore, e.QuantityAfter)), s.TermStart(Today));
            var holding = holders.Where(h => h.SkuIds.Contains(licensed.SkuId!.Value)).Select(h => h.Id).ToList();
            if (SeatsForLicensesRules.PlanRemoval(s.Id, s.Quantity, SeatsForLicensesRules.RemovableNow(batches, now), holding) is { } removal)
            {
                removals.Add(removal);
            }
        }
        return removals;
    }

    /// <summary>After the job: sets each subscription to the quantity its removal aims at (nothing when it is there already).</summary>
    public async Task RemoveAsync(Guid customerId, IReadOnlyList<SeatRemoval> removals, IReadOnlyList<UserLicenseResult> results, CancellationToken ct)
    {
        var unassigned = results.Where(r => r.Ok).Select(r => r.UserId).ToHashSet();
        foreach (var removal in removals)
        {
            var target = SeatsForLicensesRules.TargetQuantity(removal, unassigned);
            var quantity = await db.O365Subscriptions.AsNoTracking().Where(s => s.Id == removal.SubscriptionId).Select(s => (int?)s.Quantity).SingleOrDefaultAsync(ct);
            if (quantity is not { } current || current <= target)
            {
                continue;
            }
            var changed = await change.ChangeAsync(customerId, removal.SubscriptionId, new ChangeSubscriptionRequest(target, null, null, null), ct);
            if (!changed.Succeeded)
            {
                await audit.RecordAsync(customerId, "Remove freed seats", "refused", changed.Failure!.Detail, ct);
            }
        }
    }

    private async Task<IReadOnlyList<SeatsQuote>> QuotesAsync(Guid customerId, IEnumerable<(Guid SubscriptionId, int Seats)> changes, bool adding, CancellationToken ct)
    {
        var cycleEndDay = await billing.CycleEndDayAsync(customerId, ct);
        var quotes = new List<SeatsQuote>();
        foreach (var (id, seats) in changes)
        {
            var s = await db.O365Subscriptions.AsNoTracking().SingleAsync(x => x.Id == id && x.OrganizationId == customerId, ct);
            var frequency = s.Frequency;
            var amount = adding
                ? SeatsForLicensesRules.AddedCost(seats, s.UnitPrice, Today, frequency, cycleEndDay, s.TermStart(Today), s.RenewalDate(Today))
                : SeatsForLicensesRules.Refund(seats, s.UnitPrice, Today, frequency, cycleEndDay, s.TermStart(Today), s.RenewalDate(Today));
            quotes.Add(new SeatsQuote(id, s.FriendlyName ?? s.Name, seats, amount, s.Currency));
        }
        return quotes;
    }
}
