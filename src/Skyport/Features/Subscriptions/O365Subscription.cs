using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Skyport.Features.Billing.Preview;
using Skyport.Features.Billing.Rating;
using Skyport.Features.Organizations;

namespace Skyport.Features.Subscriptions;

/// <summary>A Partner Center subscription of a customer, as Skyport last agreed it with Partner Center. Its id is Partner Center's.</summary>
public sealed class O365Subscription
{
    public Guid Id { get; init; }
    public Guid OrganizationId { get; init; }
    public required string OfferId { get; init; }
    public required string Name { get; set; }
    public string? FriendlyName { get; set; }
    public string? PurchaseOrderNumber { get; set; }
    public int Quantity { get; set; }
    public SubscriptionStatus Status { get; set; }
    public bool AutoRenew { get; set; }
    public required string TermDuration { get; init; }
    public required string BillingFrequency { get; init; }
    /// <summary>The first term's start: terms are anchored on it (R6).</summary>
    public DateOnly StartDate { get; init; }
    /// <summary>The price locked at the current term's start (R5).</summary>
    public decimal UnitPrice { get; set; }
    public required string PriceSource { get; set; }
    public required string Currency { get; set; }
    public Guid? ParentSubscriptionId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>Set while a change is being applied in Partner Center, so that a second change at the same time is refused (409).</summary>
    public DateTimeOffset? ChangeStartedAt { get; set; }
    /// <summary>The instance making that change; once it is gone (a crash), the next change or reconcile takes over at once.</summary>
    public Guid? ChangeOwnerInstanceId { get; set; }
    public int Version { get; set; }

    public TermDuration Term => Enum.Parse<TermDuration>(TermDuration);

    /// <summary>The current term's last day: the price lock ends then, and the subscription renews or expires the day after.</summary>
    public DateOnly RenewalDate(DateOnly today)
    {
        var index = today < StartDate ? 0 : Terms.IndexContaining(StartDate, Term, today);
        return Terms.End(StartDate, Term, index);
    }

    public DateOnly TermStart(DateOnly today) =>
        Terms.Start(StartDate, Term, today < StartDate ? 0 : Terms.IndexContaining(StartDate, Term, today));

    /// <summary>What the quantity costs a month: the unit price per billing period, spread over 12 months for annual billing.</summary>
    public decimal MonthlyCost(int quantity) => SubscriptionMath.MonthlyCost(UnitPrice, quantity, BillingFrequency);

    public SubscriptionPlan ToPlan(bool autoRenewAtPurchase) => new(
        Id.ToString(), OfferId, Term, BillingFrequency == "annual" ? Billing.Rating.BillingFrequency.Annual : Billing.Rating.BillingFrequency.Monthly,
        autoRenewAtPurchase, ParentSubscriptionId?.ToString());
}

public enum SubscriptionEventKind
{
    Purchase,
    ChangeQuantity,
    Suspend,
    Activate,
    Cancel,
    SetAutoRenew,
    Renew,
}

/// <summary>Who made a change: someone in Skyport, or someone (or Microsoft) directly in Partner Center.</summary>
public enum ChangeSide
{
    Skyport,
    PartnerCenter,
}

/// <summary>
/// One change of a subscription, in the shape of the billing preview's events so that billing rates them as they are
/// (<see cref="ToRatingEvent"/>): instant, kind, quantity before and after, the price in force and who made it, on which side.
/// </summary>
public sealed class SubscriptionEventRecord
{
    public Guid Id { get; init; } = Guid.NewGuid();
    public Guid SubscriptionId { get; init; }
    public Guid OrganizationId { get; init; }
    public DateTimeOffset At { get; init; }
    public SubscriptionEventKind Kind { get; init; }
    public int QuantityBefore { get; init; }
    public int QuantityAfter { get; init; }
    public bool? AutoRenew { get; init; }
    public decimal UnitPrice { get; init; }
    public required string PriceSource { get; init; }
    public required string Currency { get; init; }
    public required string Actor { get; init; }
    public ChangeSide Side { get; init; }
    /// <summary>
    /// When Skyport stored it (its clock), which may be long after <see cref="At"/> (reconcile adopts Partner Center changes late):
    /// billing corrects an issued cycle only for customers with a change recorded after that cycle's issue.
    /// </summary>
    public DateTimeOffset RecordedAt { get; init; }

    public static SubscriptionEventRecord For(
        O365Subscription s, SubscriptionEventKind kind, DateTimeOffset at, int before, int after, bool? autoRenew, ChangeSide side, string actor, DateTimeOffset recordedAt) => new()
    {
        SubscriptionId = s.Id,
        OrganizationId = s.OrganizationId,
        At = at,
        Kind = kind,
        QuantityBefore = before,
        QuantityAfter = after,
        AutoRenew = autoRenew,
        UnitPrice = s.UnitPrice,
        PriceSource = s.PriceSource,
        Currency = s.Currency,
        Actor = actor,
        Side = side,
        RecordedAt = recordedAt,
    };

    /// <summary>The event for <see cref="RatingEngine.Rate"/>; null for a renewal, which rating derives from the terms itself.</summary>
    public SubscriptionEvent? ToRatingEvent() => RatingEvent(SubscriptionId, At, Kind, QuantityAfter, AutoRenew);

    /// <summary><see cref="ToRatingEvent"/> from just the columns rating reads, for callers that load only those.</summary>
    public static SubscriptionEvent? RatingEvent(Guid subscriptionId, DateTimeOffset at, SubscriptionEventKind kind, int quantityAfter, bool? autoRenew) => kind switch
    {
        SubscriptionEventKind.Purchase => new(at, subscriptionId.ToString(), SubscriptionEventType.Purchase, quantityAfter),
        SubscriptionEventKind.ChangeQuantity => new(at, subscriptionId.ToString(), SubscriptionEventType.ChangeQuantity, quantityAfter),
        SubscriptionEventKind.Suspend => new(at, subscriptionId.ToString(), SubscriptionEventType.Suspend),
        SubscriptionEventKind.Activate => new(at, subscriptionId.ToString(), SubscriptionEventType.Activate),
        SubscriptionEventKind.Cancel => new(at, subscriptionId.ToString(), SubscriptionEventType.Cancel),
        SubscriptionEventKind.SetAutoRenew => new(at, subscriptionId.ToString(), SubscriptionEventType.SetAutoRenew, AutoRenew: autoRenew),
        _ => null,
    };

    /// <summary>The same event as the billing preview's request reads it.</summary>
    public PreviewEvent? ToPreviewEvent() => ToRatingEvent() is { } e
        ? new PreviewEvent(
            e.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            e.SubscriptionId,
            char.ToLowerInvariant(e.Type.ToString()[0]) + e.Type.ToString()[1..],
            e.Quantity,
            e.AutoRenew)
        : null;
}

internal sealed class O365SubscriptionConfiguration : IEntityTypeConfiguration<O365Subscription>
{
    public void Configure(EntityTypeBuilder<O365Subscription> builder)
    {
        builder.ToTable("o365_subscriptions");
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.HasIndex(s => s.OrganizationId);
        builder.Property(s => s.OfferId).HasMaxLength(64);
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.FriendlyName).HasMaxLength(SubscriptionMath.MaxFriendlyName);
        builder.Property(s => s.PurchaseOrderNumber).HasMaxLength(SubscriptionMath.MaxPurchaseOrderNumber);
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.TermDuration).HasMaxLength(8);
        builder.Property(s => s.BillingFrequency).HasMaxLength(16);
        builder.Property(s => s.UnitPrice).HasPrecision(18, 2);
        builder.Property(s => s.PriceSource).HasMaxLength(16);
        builder.Property(s => s.Currency).HasMaxLength(3);
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.Ignore(s => s.Term);
        builder.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SubscriptionEventRecordConfiguration : IEntityTypeConfiguration<SubscriptionEventRecord>
{
    public void Configure(EntityTypeBuilder<SubscriptionEventRecord> builder)
    {
        builder.ToTable("o365_subscription_events");
        builder.HasIndex(e => new { e.SubscriptionId, e.At });
        builder.HasIndex(e => e.OrganizationId);
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Side).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.UnitPrice).HasPrecision(18, 2);
        builder.Property(e => e.PriceSource).HasMaxLength(16);
        builder.Property(e => e.Currency).HasMaxLength(3);
        builder.Property(e => e.Actor).HasMaxLength(256);
        builder.HasOne<O365Subscription>().WithMany().HasForeignKey(e => e.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
    }
}
