using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Billing.Rating;
using Skyport.Features.Billing.Reports;
using Skyport.Features.Catalog;
using Skyport.PartnerCenter;
using Skyport.Web;

namespace Skyport.Features.Subscriptions;

/// <summary>
/// The offers a subscription may be upgraded to now: Partner Center's transition eligibilities that Skyport's catalog
/// sells and the customer's prices cover (global or the customer's list, as purchases are priced), with the cost of the change.
/// </summary>
public sealed class UpgradeTargets(SkyportDbContext db, PartnerCenterClient partnerCenter, PriceListService prices, BillingReports billing, TimeProvider clock)
{
    private DateOnly Today => Utc.DateOf(clock.GetUtcNow());

    /// <param name="quantity">The seats to move; all of the subscription's when null.</param>
    public async Task<Outcome<IReadOnlyList<UpgradeOfferDto>>> ListAsync(Guid customerId, Guid id, int? quantity, CancellationToken ct)
    {
        var source = await db.O365Subscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id && s.OrganizationId == customerId, ct);
        if (source is null) return Failure.NotFound("The subscription");
        if (quantity is { } q && (q < 1 || q > source.Quantity))
            return Failure.Invalid("quantity", $"Choose between 1 and {source.Quantity} seats: {source.Name} has {source.Quantity}.");
        if (source.Status != SubscriptionStatus.Active) return new List<UpgradeOfferDto>();
        if (await ActiveTenant.OfAsync(db, customerId, ct) is not { } tenantId)
            return Failure.RuleRefused("This customer has no active O365 CSP Direct service.");
        var found = await FindAsync(source, tenantId, quantity ?? source.Quantity, transferLicenses: false, ct);
        if (!found.Succeeded) return found.Failure!;
        return found.Value.Offers.ToList();
    }

    /// <summary>
    /// The eligible offers for moving <paramref name="seats"/> by the transition type asked, and Partner Center's reason
    /// when it refuses every upgrade of the source (extended, not active).
    /// </summary>
    internal async Task<Outcome<(IReadOnlyList<UpgradeOfferDto> Offers, string? SourceRefusal)>> FindAsync(
        O365Subscription source, Guid tenantId, int seats, bool transferLicenses, CancellationToken ct)
    {
        PartnerCenterResult<IReadOnlyList<TransitionEligibility>> eligibilities;
        try
        {
            eligibilities = await partnerCenter.GetTransitionEligibilitiesAsync(tenantId, source.Id, ct: ct);
        }
        catch (Exception exception) when (PartnerCenterFailures.IsUnanswered(exception) && !ct.IsCancellationRequested)
        {
            return Failure.UpstreamFailed("Partner Center did not answer which offers this subscription can be upgraded to. Try again.");
        }
        if (!eligibilities.IsSuccess)
        {
            return eligibilities.Error!.HttpStatus == 404
                ? Failure.NotFound("The subscription")
                : Failure.RuleRefused($"Partner Center refused to list the upgrades: {eligibilities.Error.Description}");
        }
        var eligibleIds = UpgradeSubscriptionRules.EligibleOfferIds(eligibilities.Value!, transferLicenses);
        var offers = (await db.CatalogOffers.AsNoTracking().Where(o => !o.Hidden && o.Available && !o.IsAddOn).ToListAsync(ct))
            .Where(o => eligibleIds.Contains(o.Id)).OrderBy(o => o.Name).ToList();
        var lookup = await prices.LookupForAsync(source.OrganizationId, ct);
        var cycleEndDay = await billing.CycleEndDayAsync(source.OrganizationId, ct);
        var term = new OfferTerm(source.TermDuration, source.BillingFrequency);
        var result = new List<UpgradeOfferDto>();
        foreach (var offer in offers)
        {
            if (lookup.InForceOn(CatalogQueries.Key(offer.Id, term), Today) is not { } price) continue;
            var quote = UpgradeSubscriptionRules.Quote(source, seats, price.UnitPrice, Today, cycleEndDay);
            result.Add(new UpgradeOfferDto(offer.Id, offer.Name, offer.Description, source.TermDuration, source.BillingFrequency,
                price.UnitPrice, prices.Currency, price.Source.WireName(), seats, quote.From, quote.To, quote.Refund, quote.Charge, quote.Net));
        }
        return (result, UpgradeSubscriptionRules.SourceRefusal(eligibilities.Value!));
    }
}
