using Skyport.PartnerCenterEmulator.Core;

namespace Skyport.PartnerCenterEmulator.Catalog;

/// <summary>Partner Center catalog: products, SKUs and availabilities (NCE), with the fields Microsoft sends (see DIFFERENCES.md).</summary>
public static class CatalogEndpoints
{
    private static readonly string[] KnownViews =
    [
        "Azure", "AzureReservations", "AzureReservationsVM", "AzureReservationsSQL", "AzureReservationsCosmosDb",
        "MicrosoftAzure", "OnlineServices", "Software", "SoftwareSUSELinux", "SoftwarePerpetual", "SoftwareSubscriptions",
        CatalogData.NceProductType,
    ];

    public static void Map(IEndpointRouteBuilder v1)
    {
        foreach (var prefix in new[] { "", "/customers/{customerId}" })
        {
            v1.MapGet(prefix + "/products", (HttpContext http) =>
            {
                var view = http.Request.Query["targetView"].ToString();
                if (view.Length == 0) return Errors.PcInvalid("The targetView parameter is required.", "targetView");
                if (!KnownViews.Contains(view, StringComparer.OrdinalIgnoreCase)) return Errors.Pc(403, 400036, "The targetView is not allowed.", view);
                var country = Country(http);
                var items = view.Equals("OnlineServices", StringComparison.OrdinalIgnoreCase) || view.Equals(CatalogData.NceProductType, StringComparison.OrdinalIgnoreCase)
                    ? CatalogData.Items.DistinctBy(i => i.ProductId).Select(i => ProductJson(i, country)).ToList()
                    : [];
                return Pc.Ok(Pc.Collection(items, $"/products?country={country}&targetView={view}"));
            });
            v1.MapGet(prefix + "/products/{productId}", (string productId, HttpContext http) =>
                CatalogData.Product(productId) is { } item ? Pc.Ok(ProductJson(item, Country(http))) : ProductNotFound(productId));
            v1.MapGet(prefix + "/products/{productId}/skus", (string productId, HttpContext http) =>
            {
                var skus = CatalogData.Items.Where(i => i.ProductId.Equals(productId, StringComparison.OrdinalIgnoreCase)).ToList();
                if (skus.Count == 0) return ProductNotFound(productId);
                var country = Country(http);
                return Pc.Ok(Pc.Collection(skus.Select(s => SkuJson(s, country)).ToList(), $"/products/{skus[0].ProductId}/skus?country={country}"));
            });
            v1.MapGet(prefix + "/products/{productId}/skus/{skuId}", (string productId, string skuId, HttpContext http) =>
                CatalogData.Sku(productId, skuId) is { } item ? Pc.Ok(SkuJson(item, Country(http))) : ProductNotFound($"{productId}:{skuId}"));
            v1.MapGet(prefix + "/products/{productId}/skus/{skuId}/availabilities", (string productId, string skuId, HttpContext http) =>
            {
                if (CatalogData.Sku(productId, skuId) is not { } item) return ProductNotFound($"{productId}:{skuId}");
                var country = Country(http);
                return Pc.Ok(Pc.Collection([AvailabilityJson(item, country)], $"/products/{item.ProductId}/skus/{item.SkuId}/availabilities?country={country}"));
            });
            v1.MapGet(prefix + "/products/{productId}/skus/{skuId}/availabilities/{availabilityId}", (string productId, string skuId, string availabilityId, HttpContext http) =>
                CatalogData.Sku(productId, skuId) is { } item && item.AvailabilityId.Equals(availabilityId, StringComparison.OrdinalIgnoreCase)
                    ? Pc.Ok(AvailabilityJson(item, Country(http)))
                    : ProductNotFound($"{productId}:{skuId}:{availabilityId}"));
        }
    }

    private static string Country(HttpContext http) => http.Request.Query["country"].ToString() is { Length: 2 } c ? c.ToUpperInvariant() : "US";

    private static IResult ProductNotFound(string id) => Errors.Pc(404, 400013, $"Product {id} was not found.");

    public static object ProductJson(CatalogItem i, string country) => new
    {
        id = i.ProductId,
        title = i.Title,
        description = i.Description,
        productType = new { id = CatalogData.NceProductType, displayName = CatalogData.NceProductType },
        isMicrosoftProduct = true,
        publisherName = "Microsoft Corporation",
        links = new
        {
            skus = Pc.Link($"/products/{i.ProductId}/skus?country={country}"),
            self = Pc.Link($"/products/{i.ProductId}?country={country}"),
        },
        attributes = Pc.Attributes("Product"),
    };

    public static object SkuJson(CatalogItem i, string country) => new
    {
        id = i.SkuId,
        productId = i.ProductId,
        title = i.Title,
        description = i.Description,
        minimumQuantity = 1,
        maximumQuantity = i.MaximumQuantity,
        isTrial = false,
        supportedBillingCycles = new[] { "annual", "monthly" },
        purchasePrerequisites = new[] { "MicrosoftCustomerAgreement" },
        inventoryVariables = Array.Empty<string>(),
        provisioningVariables = Array.Empty<string>(),
        actions = new[] { "Refund" },
        dynamicAttributes = new
        {
            isMicrosoftProduct = true,
            hasConstraints = i.MaximumQuantity <= 300,
            isAddon = i.IsAddOn,
            prerequisiteSkus = i.Prerequisites,
            isSoftwareAssuranceApplicable = false,
            upgradeTargetOffers = Array.Empty<string>(),
            provisioningId = i.GraphSkuId,
            @internal = false,
        },
        links = new
        {
            availabilities = Pc.Link($"/products/{i.ProductId}/skus/{i.SkuId}/availabilities?country={country}"),
            self = Pc.Link($"/products/{i.ProductId}/skus/{i.SkuId}?country={country}"),
        },
        attributes = Pc.Attributes("Sku"),
    };

    public static object AvailabilityJson(CatalogItem i, string country)
    {
        var currency = CatalogData.CurrencyFor(country);
        return new
        {
            id = i.AvailabilityId,
            productId = i.ProductId,
            skuId = i.SkuId,
            catalogItemId = i.CatalogItemId,
            defaultCurrency = new { code = currency, symbol = CatalogData.CurrencySymbol(currency) },
            segment = "commercial",
            country,
            isPurchasable = true,
            isRenewable = true,
            renewalInstructions = new[]
            {
                new
                {
                    applicableTermIds = CatalogData.Terms.Select(t => t.Id).ToArray(),
                    renewalOptions = new[] { new { renewToId = i.ItemCode, isAutoRenewable = true } },
                },
            },
            terms = CatalogData.Terms.Select(t => new
            {
                id = t.Id,
                duration = t.Duration,
                description = t.Description,
                billingCycle = t.BillingCycle,
                cancellationPolicies = new[]
                {
                    new { refundOptions = new[] { new { sequenceId = 0, type = "Full", expiresAfter = "P7D" } } },
                },
            }).ToArray(),
            links = new { self = Pc.Link($"/products/{i.ProductId}/skus/{i.SkuId}/availabilities/{i.AvailabilityId}?country={country}") },
            attributes = Pc.Attributes("Availability"),
        };
    }
}
