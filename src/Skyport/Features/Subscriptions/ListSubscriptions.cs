using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Billing.Rating;
using Skyport.Features.Organizations;
using Skyport.Web;

namespace Skyport.Features.Subscriptions;

/// <summary>A customer's subscriptions as the list shows them, with the licenses of each assigned to users.</summary>
public sealed class ListSubscriptions(SkyportDbContext db, ConsumedLicenses consumed, TimeProvider clock)
{
    private DateOnly Today => Utc.DateOf(clock.GetUtcNow());

    public async Task<Outcome<SubscriptionList>> ListAsync(Guid customerId, int? page, int? pageSize, CancellationToken ct)
    {
        if (Paging.Check(page, pageSize) is { } bad) return bad;
        if (!await db.Organizations.AnyAsync(o => o.Id == customerId && o.Kind == OrganizationKind.Customer, ct)) return Failure.NotFound("The customer");
        var all = await db.O365Subscriptions.AsNoTracking().Where(s => s.OrganizationId == customerId).ToListAsync(ct);
        var ordered = InListOrder(all);
        var size = pageSize ?? Paging.DefaultSize;
        var pageItems = ordered.Skip(((page ?? 1) - 1) * size).Take(size).ToList();
        var assigned = await consumed.CountAsync(customerId, all, ct);
        return new SubscriptionList([.. pageItems.Select(s => SubscriptionDto.Of(s, assigned.GetValueOrDefault(s.Id), Today))], ordered.Count);
    }

    public async Task<Outcome<SubscriptionDto>> GetAsync(Guid customerId, Guid id, CancellationToken ct)
    {
        var subscription = await db.O365Subscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id && s.OrganizationId == customerId, ct);
        if (subscription is null) return Failure.NotFound("The subscription");
        return SubscriptionDto.Of(subscription, await consumed.OfAsync(subscription, ct), Today);
    }

    /// <summary>
    /// Base subscriptions oldest first, each followed by its add-ons (oldest first); add-ons whose base is not among
    /// <paramref name="all"/> come last.
    /// </summary>
    public static IReadOnlyList<O365Subscription> InListOrder(IReadOnlyList<O365Subscription> all) =>
        [.. all.Where(s => s.ParentSubscriptionId is null).OrderBy(s => s.CreatedAt)
            .SelectMany(b => all.Where(a => a.ParentSubscriptionId == b.Id).OrderBy(a => a.CreatedAt).Prepend(b))
            .Concat(all.Where(a => a.ParentSubscriptionId is { } p && all.All(b => b.Id != p)))];
}
