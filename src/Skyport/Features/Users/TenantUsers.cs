using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Organizations;
using Skyport.Features.Tenants;
using Skyport.Web;

namespace Skyport.Features.Users;

/// <summary>Reads a customer's tenant users from Skyport's synced copy.</summary>
public sealed class TenantUsers(SkyportDbContext db)
{
    /// <summary>The customer's active O365 service, or why there is none.</summary>
    public async Task<Outcome<O365Service>> ServiceAsync(Guid customerId, CancellationToken ct)
    {
        var service = await db.O365Services.AsNoTracking().SingleOrDefaultAsync(s => s.OrganizationId == customerId, ct);
        return service is { Status: O365Status.Active, TenantId: not null }
            ? service
            : Failure.NotFound("The O365 CSP Direct service of this customer");
    }

    /// <summary>One page ordered by display name; search matches the display name or the user name, in any case.</summary>
    /// <param name="subscriptions">The customer's <see cref="LicensedSubscriptionsAsync"/>, when the caller has them already.</param>
    public async Task<Page<TenantUserDto>> ListAsync(
        Guid customerId, string? search, int page, int pageSize, CancellationToken ct, IReadOnlyList<LicensedSubscription>? subscriptions = null)
    {
        var query = db.Set<TenantUser>().AsNoTracking().Where(u => u.OrganizationId == customerId);
        if (search?.Trim() is { Length: > TenantUser.SearchKeyLength })
        {
            // Longer than any search key, so nothing matches (and SQLite refuses LIKE patterns past 50,000 bytes).
            return new Page<TenantUserDto>([], 0);
        }
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = "%" + search.Trim().ToLowerInvariant().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            query = query.Where(u => EF.Functions.Like(u.SearchKey, pattern, "\\"));
        }
        var total = await query.CountAsync(ct);
        var items = await query.OrderBy(u => u.DisplayName).ThenBy(u => u.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .ToListAsync(ct);
        subscriptions ??= await LicensedSubscriptionsAsync(customerId, ct);
        return new Page<TenantUserDto>([.. items.Select(u => TenantUserDto.From(u, subscriptions))], total);
    }

    public async Task<TenantUser?> FindAsync(Guid customerId, Guid userId, CancellationToken ct) =>
        await db.Set<TenantUser>().AsNoTracking().SingleOrDefaultAsync(u => u.OrganizationId == customerId && u.Id == userId, ct);

    /// <summary>The customer's subscriptions with the product (Graph SKU) whose licenses they hold, oldest first.</summary>
    public async Task<IReadOnlyList<LicensedSubscription>> LicensedSubscriptionsAsync(Guid customerId, CancellationToken ct)
    {
        var rows = await db.O365Subscriptions.AsNoTracking()
            .Where(s => s.OrganizationId == customerId)
            .OrderBy(s => s.CreatedAt)
            .Select(s => new
            {
                s.Id,
                s.Name,
                s.FriendlyName,
                s.Status,
                SkuId = db.CatalogOffers.Where(o => o.Id == s.OfferId).Select(o => o.LicenseSkuId).FirstOrDefault(),
            })
            .ToListAsync(ct);
        return [.. rows.Select(r => new LicensedSubscription(r.Id, r.FriendlyName is { Length: > 0 } f ? $"{r.Name} ({f})" : r.Name, r.SkuId, r.Status))];
    }
}
