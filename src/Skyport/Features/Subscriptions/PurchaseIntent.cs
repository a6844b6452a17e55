using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Skyport.Features.Organizations;

namespace Skyport.Features.Subscriptions;

/// <summary>
/// A purchase as Skyport meant it, recorded before Partner Center is called: what was asked, the price quoted, the
/// <c>MS-RequestId</c>s its cart and checkout are sent with, and how far it got. A retry of the same operation (the
/// same caller and Idempotency-Key, after a lost answer, a 503 or a crash) continues from here with the same ids, so
/// Partner Center answers the first cart and the first order again instead of making new ones.
/// </summary>
public sealed class PurchaseIntent
{
    public Guid Id { get; init; } = Guid.NewGuid();
    /// <summary>The caller's user and Idempotency-Key; null for a purchase made without a key (never resumed).</summary>
    public string? OperationKey { get; init; }
    public Guid OrganizationId { get; init; }
    public Guid TenantId { get; init; }
    public required string OfferId { get; init; }
    public int Quantity { get; init; }
    public required string TermDuration { get; init; }
    public required string BillingFrequency { get; init; }
    public string? FriendlyName { get; init; }
    public string? PurchaseOrderNumber { get; init; }
    public Guid? ParentSubscriptionId { get; init; }
    /// <summary>The first term's end asked for (R13, co-terminous), sent on the cart line; a retry sends the same.</summary>
    public DateOnly? CustomTermEndDate { get; init; }
    public decimal UnitPrice { get; init; }
    /// <summary>Who bought it, for the purchase event written when a pending order completes (after the buyer's request).</summary>
    public string? Buyer { get; init; }
    public required string PriceSource { get; init; }
    public required string Currency { get; init; }
    public Guid CartRequestId { get; init; } = Guid.NewGuid();
    public Guid CheckoutRequestId { get; init; } = Guid.NewGuid();
    public Guid? CartId { get; set; }
    public Guid? SubscriptionId { get; set; }
    public PurchaseStage Stage { get; set; }
    /// <summary>Partner Center's refusal, kept so that a retry answers the same.</summary>
    public string? Refusal { get; set; }
    /// <summary>The instance working on it; another takes it over only once this one is gone.</summary>
    public Guid? OwnerInstanceId { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; }
}

internal sealed class PurchaseIntentConfiguration : IEntityTypeConfiguration<PurchaseIntent>
{
    public void Configure(EntityTypeBuilder<PurchaseIntent> builder)
    {
        builder.ToTable("purchase_intents");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.OperationKey).HasMaxLength(240);
        builder.HasIndex(p => p.OperationKey).IsUnique();
        builder.Property(p => p.OfferId).HasMaxLength(100);
        builder.Property(p => p.TermDuration).HasMaxLength(10);
        builder.Property(p => p.BillingFrequency).HasMaxLength(20);
        builder.Property(p => p.FriendlyName).HasMaxLength(200);
        builder.Property(p => p.PurchaseOrderNumber).HasMaxLength(100);
        builder.Property(p => p.PriceSource).HasMaxLength(40);
        builder.Property(p => p.Buyer).HasMaxLength(256);
        builder.Property(p => p.Currency).HasMaxLength(3);
        builder.Property(p => p.UnitPrice).HasPrecision(18, 2);
        builder.Property(p => p.Refusal).HasMaxLength(2000);
        builder.Property(p => p.Stage).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.HasIndex(p => new { p.Stage, p.UpdatedAt });
        builder.HasOne<Organization>().WithMany().HasForeignKey(p => p.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
