using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Tenants;

namespace Skyport.Features.Subscriptions;

/// <summary>The Microsoft tenant a customer's subscriptions live in, while its O365 CSP Direct service is active.</summary>
public static class ActiveTenant
{
    public static async Task<Guid?> OfAsync(SkyportDbContext db, Guid customerId, CancellationToken ct) =>
        await db.O365Services.AsNoTracking()
            .Where(s => s.OrganizationId == customerId && s.Status == O365Status.Active && s.TenantId != null)
            .Select(s => s.TenantId).SingleOrDefaultAsync(ct);
}
