using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Skyport.Features.Billing.Rating;
using Skyport.Features.Organizations;

namespace Skyport.Features.Catalog;

/// <summary>
/// A sale price per billing period for an offer, term and billing frequency, in force from a date (R5).
/// <see cref="OrganizationId"/> is null on the broker's global list and the customer's id on a customer-specific one.
/// </summary>
public sealed class PriceListItem
{
    public Guid Id { get; init; } = Guid.NewGuid();
    public Guid? OrganizationId { get; init; }
    public required string OfferId { get; init; }
    public required string TermDuration { get; init; }
    public required string BillingFrequency { get; init; }
    public decimal UnitPrice { get; init; }
    public DateOnly EffectiveFrom { get; init; }

    public PriceEntry ToEntry() => new(
        OfferId,
        Enum.Parse<Billing.Rating.TermDuration>(TermDuration),
        BillingFrequency == "annual" ? Billing.Rating.BillingFrequency.Annual : Billing.Rating.BillingFrequency.Monthly,
        UnitPrice,
        EffectiveFrom);
}

internal sealed class PriceListItemConfiguration : IEntityTypeConfiguration<PriceListItem>
{
    public void Configure(EntityTypeBuilder<PriceListItem> builder)
    {
        builder.ToTable("price_list_items");
        builder.HasIndex(i => new { i.OrganizationId, i.OfferId });
        builder.Property(i => i.OfferId).HasMaxLength(64);
        builder.Property(i => i.TermDuration).HasMaxLength(8);
        builder.Property(i => i.BillingFrequency).HasMaxLength(16);
        builder.Property(i => i.UnitPrice).HasPrecision(18, 2);
        builder.HasOne<Organization>().WithMany().HasForeignKey(i => i.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Fields are text and nullable so that every bad one is reported by its path.</summary>
public sealed record PriceListItemInput(string? OfferId, string? TermDuration, string? BillingFrequency, decimal? UnitPrice, string? EffectiveFrom);

/// <summary>The whole new list. An empty list removes every price only with <see cref="ReplaceWithEmpty"/>: an empty upload is more often a mistake.</summary>
public sealed record PriceListRequest(IReadOnlyList<PriceListItemInput?>? Items, bool ReplaceWithEmpty = false);

/// <summary><see cref="CostPrice"/> and <see cref="Margin"/> are filled for the broker only.</summary>
public sealed record PriceListItemDto(
    string OfferId,
    string? Name,
    string TermDuration,
    string BillingFrequency,
    decimal UnitPrice,
    DateOnly EffectiveFrom,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? CostPrice = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Margin = null);

public sealed record PriceListDto(string Scope, Guid? CustomerId, string Currency, IReadOnlyList<PriceListItemDto> Items);
