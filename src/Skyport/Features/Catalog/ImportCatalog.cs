using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.PartnerCenter;
using Skyport.Web;

namespace Skyport.Features.Catalog;

public sealed class CatalogOptions
{
    /// <summary>The broker's currency: Microsoft's cost prices and the price lists are in it.</summary>
    public string Currency { get; set; } = "EUR";
    /// <summary>The country whose catalog is imported.</summary>
    public string Country { get; set; } = "DE";
    public TimeSpan ImportEvery { get; set; } = TimeSpan.FromDays(1);
    public TimeSpan RetryAfterFailure { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>The demo's global price list: Microsoft's cost plus this margin, when the global list is empty.</summary>
    public decimal DemoMargin { get; set; } = 0.15m;
}

public sealed record CatalogImportResult(int Offers, int CostPrices, DateTimeOffset ImportedAt);

/// <summary>
/// Copies Partner Center's catalog (products, SKUs, availabilities, add-on prerequisites) and Microsoft's cost prices
/// (the market's license-based price sheet) into the database. What Skyport shows is derived from fields Microsoft sends:
/// the category and product group from the title and <c>isAddon</c> (<see cref="CatalogGrouping"/>), the license SKU
/// from <c>dynamicAttributes.provisioningId</c>, add-ons' base offers from <c>prerequisiteSkus</c>. Offers that disappeared
/// are marked unavailable, never deleted: subscriptions and price lists name them. Nothing is saved unless both the
/// catalog and the price sheet were read.
/// </summary>
public sealed class ImportCatalog(SkyportDbContext db, PartnerCenterClient partnerCenter, DemoPriceList demo, Microsoft.Extensions.Options.IOptions<CatalogOptions> options, TimeProvider clock)
{
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    public async Task<Outcome<CatalogImportResult>> RunAsync(CancellationToken ct)
    {
        await OneAtATime.WaitAsync(ct);
        try
        {
            var result = await ImportAsync(ct);
            if (result.Succeeded)
            {
                await demo.SeedIfEmptyAsync(ct);
            }
            return result;
        }
        finally
        {
            OneAtATime.Release();
        }
    }

    private static Failure Refused(PartnerCenterError error) =>
        Failure.UpstreamFailed($"Partner Center refused the catalog import: {error.Description}");

    private async Task<Outcome<CatalogImportResult>> ImportAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var products = await partnerCenter.GetProductsAsync(settings.Country, ct);
        if (!products.IsSuccess) return Refused(products.Error!);
        var now = clock.GetUtcNow();
        var found = new List<CatalogOffer>();
        foreach (var product in products.Value!)
        {
            var skus = await partnerCenter.GetSkusAsync(product.Id, settings.Country, ct);
            if (!skus.IsSuccess) return Refused(skus.Error!);
            foreach (var sku in skus.Value!)
            {
                var availabilities = await partnerCenter.GetAvailabilitiesAsync(product.Id, sku.Id, settings.Country, ct);
                if (!availabilities.IsSuccess) return Refused(availabilities.Error!);
                foreach (var availability in availabilities.Value!)
                {
                    var isAddOn = sku.DynamicAttributes?.IsAddon == true;
                    var (category, group) = CatalogGrouping.Classify(product.Title, isAddOn);
                    found.Add(new CatalogOffer
                    {
                        Id = availability.CatalogItemId,
                        ProductId = product.Id,
                        SkuId = sku.Id,
                        AvailabilityId = availability.Id,
                        ItemCode = CatalogOffer.ItemCodeOf(product.Id, sku.Id),
                        Name = sku.Title,
                        Description = sku.Description ?? product.Description ?? "",
                        Category = category,
                        ProductGroup = group,
                        IsAddOn = isAddOn,
                        BaseItemCodes = string.Join(',', (sku.DynamicAttributes?.PrerequisiteSkus ?? []).Select(CatalogOffer.NormalizeItemCode)),
                        LicenseSkuId = sku.DynamicAttributes?.ProvisioningId,
                        MinimumQuantity = Math.Max(1, sku.MinimumQuantity),
                        MaximumQuantity = sku.MaximumQuantity > 0 ? sku.MaximumQuantity : 10000,
                        Terms = string.Join(',', availability.Terms.Select(t => new OfferTerm(t.Duration.ToUpperInvariant(), t.BillingCycle.ToLowerInvariant()))),
                        ImportedAt = now,
                    });
                }
            }
        }

        var sheet = await partnerCenter.GetPriceSheetAsync(settings.Country, ct);
        if (!sheet.IsSuccess) return Refused(sheet.Error!);
        Outcome<IReadOnlyList<SkuCost>> costs;
        await using (var file = sheet.Value!)
        {
            try
            {
                costs = PriceSheetCosts.Select(file.Rows(), settings.Country, settings.Currency, now.UtcDateTime);
            }
            catch (Exception e) when (e is InvalidDataException or CsvHelper.CsvFormatException)
            {
                return Failure.UpstreamFailed($"Partner Center's price sheet could not be read: {e.Message}");
            }
        }
        if (!costs.Succeeded) return costs.Failure!;

        Apply(found, await db.CatalogOffers.ToDictionaryAsync(o => o.Id, ct), now);
        var stored = await ApplyCostsAsync(found, costs.Value!, ct);
        await db.SaveChangesAsync(ct);
        return new CatalogImportResult(found.Count, stored, now);
    }

    private void Apply(List<CatalogOffer> found, Dictionary<string, CatalogOffer> existing, DateTimeOffset now)
    {
        foreach (var offer in found)
        {
            if (existing.Remove(offer.Id, out var stored))
            {
                stored.ProductId = offer.ProductId;
                stored.SkuId = offer.SkuId;
                stored.AvailabilityId = offer.AvailabilityId;
                stored.ItemCode = offer.ItemCode;
                stored.Name = offer.Name;
                stored.Description = offer.Description;
                stored.Category = offer.Category;
                stored.ProductGroup = offer.ProductGroup;
                stored.IsAddOn = offer.IsAddOn;
                stored.BaseItemCodes = offer.BaseItemCodes;
                stored.LicenseSkuId = offer.LicenseSkuId;
                stored.MinimumQuantity = offer.MinimumQuantity;
                stored.MaximumQuantity = offer.MaximumQuantity;
                stored.Terms = offer.Terms;
                stored.Available = true;
                stored.ImportedAt = now;
            }
            else
            {
                db.CatalogOffers.Add(offer);
            }
        }
        foreach (var gone in existing.Values)
        {
            gone.Available = false;
        }
    }

    /// <summary>The price sheet names SKUs, not availabilities: each offer of a SKU gets the SKU's cost.</summary>
    private async Task<int> ApplyCostsAsync(List<CatalogOffer> found, IReadOnlyList<SkuCost> costs, CancellationToken ct)
    {
        var offersBySku = found.ToLookup(o => o.ItemCode, StringComparer.OrdinalIgnoreCase);
        var stored = await db.CatalogCostPrices.ToDictionaryAsync(p => (p.OfferId, p.TermDuration, p.BillingFrequency), ct);
        var count = 0;
        foreach (var cost in costs)
        {
            foreach (var offer in offersBySku[CatalogOffer.ItemCodeOf(cost.ProductId, cost.SkuId)])
            {
                if (stored.TryGetValue((offer.Id, cost.TermDuration, cost.BillingFrequency), out var price))
                {
                    price.UnitPrice = cost.UnitPrice;
                    price.Currency = cost.Currency;
                }
                else
                {
                    db.CatalogCostPrices.Add(new CatalogCostPrice { OfferId = offer.Id, TermDuration = cost.TermDuration, BillingFrequency = cost.BillingFrequency, Currency = cost.Currency, UnitPrice = cost.UnitPrice });
                }
                count++;
            }
        }
        return count;
    }
}

/// <summary>Imports the catalog at start and then daily; while Partner Center does not answer, it logs and tries again later.</summary>
public sealed class CatalogSync(IServiceScopeFactory scopes, Microsoft.Extensions.Options.IOptions<CatalogOptions> options, ILogger<CatalogSync> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = options.Value.RetryAfterFailure;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var result = await scope.ServiceProvider.GetRequiredService<ImportCatalog>().RunAsync(stoppingToken);
                if (result.Succeeded)
                {
                    logger.LogInformation("Imported {Offers} catalog offers from Partner Center", result.Value!.Offers);
                    wait = options.Value.ImportEvery;
                }
                else
                {
                    logger.LogWarning("The catalog import failed: {Error}", result.Failure!.Detail);
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "The catalog import failed; trying again in {Wait}", wait);
            }
            try
            {
                await Task.Delay(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
