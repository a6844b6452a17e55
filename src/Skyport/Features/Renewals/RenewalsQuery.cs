using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Billing.Rating;
using Skyport.Features.Subscriptions;

namespace Skyport.Features.Renewals;

/// <summary>The terms that end in an organization's subtree within some days, with what follows each.</summary>
public sealed class RenewalsQuery(SkyportDbContext db, TimeProvider clock)
{
    /// <summary>Today on the clock that follows Partner Center's (the emulator's, in a demo).</summary>
    public DateOnly Today => Utc.DateOf(clock.GetUtcNow());

    public async Task<IReadOnlyList<RenewalAhead>> WithinAsync(string subtreePath, int days, CancellationToken ct)
    {
        var rows = await (
                from s in db.O365Subscriptions.IgnoreQueryFilters()
                join o in db.Organizations.IgnoreQueryFilters() on s.OrganizationId equals o.Id
                where o.Path.StartsWith(subtreePath) && (s.Status == SubscriptionStatus.Active || s.Status == SubscriptionStatus.Suspended)
                select new { Subscription = s, Customer = o.Name })
            .AsNoTracking()
            .ToListAsync(ct);
        var today = Today;
        var customers = rows.Select(r => r.Subscription.OrganizationId).Distinct().ToList();
        var prices = await db.PriceListItems.AsNoTracking()
            .Where(i => i.OrganizationId == null || customers.Contains(i.OrganizationId.Value))
            .ToListAsync(ct);
        var global = prices.Where(i => i.OrganizationId == null).Select(i => i.ToEntry()).ToList();
        var lookups = customers.ToDictionary(c => c, c => new PriceLookup(new PriceLists(
            global, [.. prices.Where(i => i.OrganizationId == c).Select(i => i.ToEntry())])));
        return RenewalsAhead.Within(rows.Select(r => Facts(r.Subscription, r.Customer, today)), today, days, c => lookups[c]);
    }

    private static RenewalFacts Facts(O365Subscription s, string customer, DateOnly today) => new(
        s.Id, s.OrganizationId, customer, s.FriendlyName is null ? s.Name : $"{s.FriendlyName} ({s.Name})", s.OfferId, s.Quantity, s.UnitPrice,
        s.Source,
        s.Currency,
        s.Term,
        s.Frequency,
        s.Status, s.AutoRenew,
        s.CancelAtTermEnd,
        InExtendedTerm: s.ExtendedSince is not null,
        // A renewal that changed the term moves StartDate; Microsoft's cut-off for the extended term is the purchase.
        DateOnly.FromDateTime(s.CreatedAt.UtcDateTime) < s.StartDate ? DateOnly.FromDateTime(s.CreatedAt.UtcDateTime) : s.StartDate,
        s.RenewalDate(today),
        s.ScheduledRenewal);
}
