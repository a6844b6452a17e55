using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.PartnerCenter;

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
/// into the database. Offers that disappeared are marked unavailable, never deleted: subscriptions and price lists name them.
/// </summary>
public sealed class ImportCatalog(SkyportDbContext db, PartnerCenterClient partnerCenter, DemoPriceList demo, Microsoft.Extensions.Options.IOptions<CatalogOptions> options, TimeProvider clock)
{
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    public async Task<PartnerCenterResult<CatalogImportResult>> RunAsync(CancellationToken ct)
    {
        await OneAtATime.WaitAsync(ct);
        try
        {
            var result = await ImportAsync(ct);
            if (result.IsSuccess)
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

    private async Task<PartnerCenterResult<CatalogImportResult>> ImportAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var products = await partnerCenter.GetProductsAsync(settings.Country, ct);
        if (!products.IsSuccess) return products.Error!;
        var now = clock.GetUtcNow();
        var found = new List<CatalogOffer>();
        foreach (var product in products.Value!)
        {
            var skus = await partnerCenter.GetSkusAsync(product.Id, settings.Country, ct);
            if (!skus.IsSuccess) return skus.Error!;
            foreach (var sku in skus.Value!)
            {
                var availabilities = await partnerCenter.GetAvailabilitiesAsync(product.Id, sku.Id, settings.Country, ct);
                if (!availabilities.IsSuccess) return availabilities.Error!;
                foreach (var availability in availabilities.Value!)
                {
                    var isAddOn = sku.DynamicAttributes?.IsAddon == true;
                    var (category, group) = CatalogGrouping.Classify(product.Category, sku.Title, isAddOn);
                    found.Add(new CatalogOffer
                    {
                        Id = availability.CatalogItemId,
                        ProductId = product.Id,
                        SkuId = sku.Id,
                        AvailabilityId = availability.Id,
                        ItemCode = $"{product.Id}:{sku.Id}",
                        Name = sku.Title,
                        Description = sku.Description ?? product.Description ?? "",
                        SourceCategory = product.Category,
                        Category = category,
                        ProductGroup = group,
                        IsAddOn = isAddOn,
                        BaseItemCodes = string.Join(',', sku.DynamicAttributes?.PrerequisiteSkus ?? []),
                        LicenseSkuId = sku.DynamicAttributes?.ProvisioningId,
                        MinimumQuantity = Math.Max(1, sku.MinimumQuantity),
                        MaximumQuantity = sku.MaximumQuantity > 0 ? sku.MaximumQuantity : 10000,
                        Terms = string.Join(',', availability.Terms.Select(t => new OfferTerm(t.Duration.ToUpperInvariant(), t.BillingCycle.ToLowerInvariant()))),
                        ImportedAt = now,
                    });
                }
            }
        }
        var sheet = await partnerCenter.GetPriceSheetAsync(settings.Currency, ct);
        if (!sheet.IsSuccess) return sheet.Error!;

        var existing = await db.CatalogOffers.ToDictionaryAsync(o => o.Id, ct);
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
                stored.SourceCategory = offer.SourceCategory;
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

        var costs = await db.CatalogCostPrices.ToDictionaryAsync(p => (p.OfferId, p.TermDuration, p.BillingFrequency), ct);
        var costCount = 0;
        foreach (var row in sheet.Value!)
        {
            var term = row.TermDuration.ToUpperInvariant();
            var frequency = row.BillingPlan.ToLowerInvariant();
            // The price sheet gives a price per seat per month; a price list's unit price is per billing period.
            var perPeriod = frequency == "annual" ? row.UnitPrice * 12 : row.UnitPrice;
            if (costs.TryGetValue((row.CatalogItemId, term, frequency), out var cost))
            {
                cost.UnitPrice = perPeriod;
                cost.Currency = row.Currency;
            }
            else
            {
                db.CatalogCostPrices.Add(new CatalogCostPrice { OfferId = row.CatalogItemId, TermDuration = term, BillingFrequency = frequency, Currency = row.Currency, UnitPrice = perPeriod });
            }
            costCount++;
        }
        await db.SaveChangesAsync(ct);
        return new PartnerCenterResult<CatalogImportResult>(new CatalogImportResult(found.Count, costCount, now), null);
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
                if (result.IsSuccess)
                {
                    logger.LogInformation("Imported {Offers} catalog offers from Partner Center", result.Value!.Offers);
                    wait = options.Value.ImportEvery;
                }
                else
                {
                    logger.LogWarning("Partner Center refused the catalog import: {Error}", result.Error);
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
