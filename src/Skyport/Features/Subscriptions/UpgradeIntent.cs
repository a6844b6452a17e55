using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Skyport.Features.Organizations;

namespace Skyport.Features.Subscriptions;

/// <summary>
/// An upgrade as Skyport meant it, recorded before Partner Center is called (ADR 5): the seats, the target offer and its
/// price, the source's quantity before, the <c>MS-RequestId</c> the transition is sent with, and how far it got. A retry
/// of the same operation looks the transition up in Partner Center, then sends it again with the same id, so the seats
/// are never upgraded twice.
/// </summary>
public sealed class UpgradeIntent
{
    public Guid Id { get; init; } = Guid.NewGuid();
    /// <summary>The caller's user and Idempotency-Key; null for an upgrade asked without a key (never resumed).</summary>
    public string? OperationKey { get; init; }
    public Guid OrganizationId { get; init; }
    public Guid TenantId { get; init; }
    public Guid SourceSubscriptionId { get; init; }
    public required string ToOfferId { get; init; }
    public int Quantity { get; init; }
    public bool TransferLicenses { get; init; }
    /// <summary>The source's quantity when the upgrade was asked: the source's event is written from it, whatever a reconcile did meanwhile.</summary>
    public int SourceQuantityBefore { get; init; }
    public decimal UnitPrice { get; init; }
    public required string PriceSource { get; init; }
    public required string Currency { get; init; }
    public required string Actor { get; init; }
    public Guid RequestId { get; init; } = Guid.NewGuid();
    public Guid? TargetSubscriptionId { get; set; }
    public UpgradeStage Stage { get; set; }
    /// <summary>Partner Center's refusal, kept so that a retry answers the same.</summary>
    public string? Refusal { get; set; }
    public Guid? OwnerInstanceId { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; }
}

internal sealed class UpgradeIntentConfiguration : IEntityTypeConfiguration<UpgradeIntent>
{
    public void Configure(EntityTypeBuilder<UpgradeIntent> builder)
    {
        builder.ToTable("upgrade_intents");
        builder.HasKey(u => u.Id);
        builder.Property(u => u.OperationKey).HasMaxLength(240);
        builder.HasIndex(u => u.OperationKey).IsUnique();
        builder.Property(u => u.ToOfferId).HasMaxLength(100);
        builder.Property(u => u.PriceSource).HasMaxLength(40);
        builder.Property(u => u.Currency).HasMaxLength(3);
        builder.Property(u => u.Actor).HasMaxLength(256);
        builder.Property(u => u.UnitPrice).HasPrecision(18, 2);
        builder.Property(u => u.Refusal).HasMaxLength(2000);
        builder.Property(u => u.Stage).HasConversion<string>().HasMaxLength(20);
        builder.Property(u => u.Version).IsConcurrencyToken();
        builder.HasIndex(u => u.SourceSubscriptionId);
        builder.HasOne<Organization>().WithMany().HasForeignKey(u => u.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
