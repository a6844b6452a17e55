using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Billing.Rating;
using Skyport.PartnerCenter;

namespace Skyport.Features.Subscriptions;

/// <summary>
/// Licenses assigned to users, per subscription, from Partner Center's subscribed SKUs: Microsoft counts them by product
/// (SKU), so a SKU's consumed units are shared out over its subscriptions, oldest first.
/// </summary>
public sealed class ConsumedLicenses(SkyportDbContext db, PartnerCenterClient partnerCenter, ILogger<ConsumedLicenses> logger)
{
    /// <summary>The consumed licenses of <paramref name="subscriptions"/>: 0 while Partner Center cannot tell (unless <paramref name="throwOnFailure"/>).</summary>
    public async Task<Dictionary<Guid, int>> CountAsync(Guid customerId, IReadOnlyList<O365Subscription> subscriptions, CancellationToken ct, bool throwOnFailure = false)
    {
        if (subscriptions.Count == 0 || await ActiveTenant.OfAsync(db, customerId, ct) is not { } tenantId) return [];
        PartnerCenterResult<IReadOnlyList<SubscribedSku>> skus;
        try
        {
            skus = await partnerCenter.GetSubscribedSkusAsync(tenantId, ct);
        }
        catch (Exception exception) when (PartnerCenterFailures.IsUnanswered(exception) && !throwOnFailure)
        {
            logger.LogInformation(exception, "Consumed licenses of customer {Customer} are unknown for now", customerId);
            return [];
        }
        if (!skus.IsSuccess) return [];
        var offerIds = subscriptions.Select(s => s.OfferId).Distinct().ToList();
        var licenseSkus = await db.CatalogOffers.AsNoTracking().Where(o => offerIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.LicenseSkuId, ct);
        var all = await db.O365Subscriptions.AsNoTracking().Where(s => s.OrganizationId == customerId && offerIds.Contains(s.OfferId)).ToListAsync(ct);
        return ShareOut(all, licenseSkus, skus.Value!);
    }

    /// <summary>The consumed licenses of one subscription (0 while Partner Center cannot tell).</summary>
    public async Task<int> OfAsync(O365Subscription s, CancellationToken ct) =>
        (await CountAsync(s.OrganizationId, [s], ct)).GetValueOrDefault(s.Id);

    /// <summary>
    /// Shares each product's consumed units over the active and suspended subscriptions of its offer, oldest first, none
    /// getting more than its quantity.
    /// </summary>
    public static Dictionary<Guid, int> ShareOut(IEnumerable<O365Subscription> subscriptions, IReadOnlyDictionary<string, Guid?> licenseSkus, IEnumerable<SubscribedSku> skus)
    {
        var result = new Dictionary<Guid, int>();
        foreach (var group in subscriptions.Where(s => s.Status is SubscriptionStatus.Active or SubscriptionStatus.Suspended).GroupBy(s => s.OfferId))
        {
            var skuId = licenseSkus.GetValueOrDefault(group.Key);
            var left = skus.Where(k => k.ProductSku.Id == skuId).Sum(k => k.ConsumedUnits);
            foreach (var s in group.OrderBy(s => s.CreatedAt))
            {
                var share = Math.Min(left, s.Quantity);
                result[s.Id] = share;
                left -= share;
            }
        }
        return result;
    }
}
