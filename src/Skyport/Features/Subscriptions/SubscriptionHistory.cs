using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Web;

namespace Skyport.Features.Subscriptions;

/// <summary>A subscription's events, oldest first: what billing rates, made in Skyport or in Partner Center.</summary>
public sealed class SubscriptionHistory(SkyportDbContext db)
{
    public async Task<Outcome<IReadOnlyList<SubscriptionEventDto>>> ReadAsync(Guid customerId, Guid id, CancellationToken ct)
    {
        if (!await db.O365Subscriptions.AnyAsync(s => s.Id == id && s.OrganizationId == customerId, ct)) return Failure.NotFound("The subscription");
        var events = await db.SubscriptionEvents.AsNoTracking().Where(e => e.SubscriptionId == id).ToListAsync(ct);
        return events.OrderBy(e => e.At).Select(e => new SubscriptionEventDto(
            e.At, char.ToLowerInvariant(e.Kind.ToString()[0]) + e.Kind.ToString()[1..], e.QuantityBefore, e.QuantityAfter, e.AutoRenew,
            e.UnitPrice, e.PriceSource, e.Currency, e.Actor, e.Side == ChangeSide.Skyport ? "skyport" : "partnerCenter", e.RelatedSubscriptionId)).ToList();
    }
}
