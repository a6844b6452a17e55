using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Catalog;
using Skyport.Web;

namespace Skyport.Features.Subscriptions;

/// <summary>The add-ons that fit a base subscription, priced for the customer.</summary>
public sealed class EligibleAddOns(SkyportDbContext db, CatalogQueries catalog)
{
    public async Task<Outcome<IReadOnlyList<CustomerOfferDto>>> ListAsync(Guid customerId, Guid baseId, CancellationToken ct)
    {
        var parent = await db.O365Subscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == baseId && s.OrganizationId == customerId, ct);
        if (parent is null) return Failure.NotFound("The subscription");
        var offers = await catalog.ForCustomerAsync(customerId, ct);
        if (!offers.Succeeded) return offers.Failure!;
        return offers.Value!.Where(o => o.IsAddOn && o.BaseOfferIds.Contains(parent.OfferId, StringComparer.OrdinalIgnoreCase)).ToList();
    }
}
