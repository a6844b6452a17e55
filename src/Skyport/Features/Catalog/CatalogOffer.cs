using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Skyport.Features.Catalog;

/// <summary>
/// One Partner Center catalog item (product, SKU and availability) as last imported. Its id is the catalog item id
/// <c>productId:skuId:availabilityId</c>, which is the offer id of price lists and subscriptions.
/// </summary>
public sealed class CatalogOffer
{
    public required string Id { get; init; }
    public required string ProductId { get; set; }
    public required string SkuId { get; set; }
    public required string AvailabilityId { get; set; }
    /// <summary>
    /// <c>productId:skuId</c>, made from Partner Center's product and SKU ids (Microsoft has no such field): add-ons'
    /// <c>prerequisiteSkus</c> name their base SKUs so, and the price sheet prices a SKU, not an availability.
    /// </summary>
    public required string ItemCode { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public required string Category { get; set; }
    public required string ProductGroup { get; set; }
    public bool IsAddOn { get; set; }
    /// <summary>Item codes of the base offers an add-on can be bought for, comma-separated.</summary>
    public string BaseItemCodes { get; set; } = "";
    /// <summary>Graph's skuId of the licenses (the SKU's <c>dynamicAttributes.provisioningId</c>), to map users' licenses and consumed units.</summary>
    public Guid? LicenseSkuId { get; set; }
    public int MinimumQuantity { get; set; } = 1;
    public int MaximumQuantity { get; set; } = 10000;
    /// <summary>Offered terms as <c>P1M/monthly</c>, comma-separated.</summary>
    public string Terms { get; set; } = "";
    /// <summary>Hidden by a broker administrator: not offered to customers.</summary>
    public bool Hidden { get; set; }
    /// <summary>False when the last import no longer found it in Partner Center.</summary>
    public bool Available { get; set; } = true;
    public DateTimeOffset ImportedAt { get; set; }

    public static string ItemCodeOf(string productId, string skuId) => $"{productId}:{skuId}";

    /// <summary>A SKU named <c>productId:skuId</c> or, as in Microsoft's offer matrix, <c>productId/skuId</c>.</summary>
    public static string NormalizeItemCode(string sku) => sku.Trim().Replace('/', ':');

    public IReadOnlyList<string> BaseItemCodeList => BaseItemCodes.Length == 0 ? [] : BaseItemCodes.Split(',');

    public IReadOnlyList<OfferTerm> TermList => Terms.Length == 0
        ? []
        : [.. Terms.Split(',').Select(t => t.Split('/')).Select(p => new OfferTerm(p[0], p[1]))];
}

/// <summary>A term duration (P1M, P1Y) with a billing frequency (monthly, annual).</summary>
public sealed record OfferTerm(string TermDuration, string BillingFrequency)
{
    public override string ToString() => $"{TermDuration}/{BillingFrequency}";
}

/// <summary>Microsoft's cost price of an offer per billing period, in the broker's currency.</summary>
public sealed class CatalogCostPrice
{
    public Guid Id { get; init; } = Guid.NewGuid();
    public required string OfferId { get; init; }
    public required string TermDuration { get; init; }
    public required string BillingFrequency { get; init; }
    public required string Currency { get; set; }
    public decimal UnitPrice { get; set; }
}

/// <summary>The name a broker administrator gave a category or product group instead of the derived one.</summary>
public sealed class CatalogGroupName
{
    public Guid Id { get; init; } = Guid.NewGuid();
    public required string Kind { get; init; }
    public required string Original { get; init; }
    public required string DisplayName { get; set; }

    public const string CategoryKind = "category";
    public const string ProductGroupKind = "productGroup";
}

internal sealed class CatalogOfferConfiguration : IEntityTypeConfiguration<CatalogOffer>
{
    public void Configure(EntityTypeBuilder<CatalogOffer> builder)
    {
        builder.ToTable("catalog_offers");
        builder.Property(o => o.Id).HasMaxLength(64);
        builder.Property(o => o.ProductId).HasMaxLength(32);
        builder.Property(o => o.SkuId).HasMaxLength(16);
        builder.Property(o => o.AvailabilityId).HasMaxLength(32);
        builder.Property(o => o.ItemCode).HasMaxLength(48);
        builder.Property(o => o.Name).HasMaxLength(200);
        builder.Property(o => o.Description).HasMaxLength(2000);
        builder.Property(o => o.Category).HasMaxLength(100);
        builder.Property(o => o.ProductGroup).HasMaxLength(100);
        builder.Property(o => o.BaseItemCodes).HasMaxLength(2000);
        builder.Property(o => o.Terms).HasMaxLength(200);
        builder.Ignore(o => o.BaseItemCodeList);
        builder.Ignore(o => o.TermList);
    }
}

internal sealed class CatalogCostPriceConfiguration : IEntityTypeConfiguration<CatalogCostPrice>
{
    public void Configure(EntityTypeBuilder<CatalogCostPrice> builder)
    {
        builder.ToTable("catalog_cost_prices");
        builder.HasIndex(p => new { p.OfferId, p.TermDuration, p.BillingFrequency }).IsUnique();
        builder.Property(p => p.OfferId).HasMaxLength(64);
        builder.Property(p => p.TermDuration).HasMaxLength(8);
        builder.Property(p => p.BillingFrequency).HasMaxLength(16);
        builder.Property(p => p.Currency).HasMaxLength(3);
        builder.Property(p => p.UnitPrice).HasPrecision(18, 2);
    }
}

internal sealed class CatalogGroupNameConfiguration : IEntityTypeConfiguration<CatalogGroupName>
{
    public void Configure(EntityTypeBuilder<CatalogGroupName> builder)
    {
        builder.ToTable("catalog_group_names");
        builder.HasIndex(g => new { g.Kind, g.Original }).IsUnique();
        builder.Property(g => g.Kind).HasMaxLength(16);
        builder.Property(g => g.Original).HasMaxLength(100);
        builder.Property(g => g.DisplayName).HasMaxLength(100);
    }
}
