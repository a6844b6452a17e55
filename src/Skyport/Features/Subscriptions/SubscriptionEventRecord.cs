using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Skyport.Features.Billing.Preview;
using Skyport.Features.Billing.Rating;

namespace Skyport.Features.Subscriptions;

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
    /// <summary>The changes a <see cref="SubscriptionEventKind.ScheduleRenewal"/> scheduled for the next term.</summary>
    public RenewalSchedule? Schedule { get; init; }

    /// <summary>An upgrade's other subscription: the target on the source's event, the source on the target's.</summary>
    public Guid? RelatedSubscriptionId { get; init; }

    /// <summary>A purchase's co-termed first term end (R13), so that billing rates the short first term.</summary>
    public DateOnly? CustomTermEndDate { get; set; }

    public static SubscriptionEventRecord For(
        O365Subscription s, SubscriptionEventKind kind, DateTimeOffset at, int before, int after, bool? autoRenew, ChangeSide side, string actor, DateTimeOffset recordedAt,
        RenewalSchedule? schedule = null, Guid? related = null) => new()
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
        Schedule = schedule,
        RelatedSubscriptionId = related,
        CustomTermEndDate = kind == SubscriptionEventKind.Purchase ? s.CustomTermEndDate : null,
    };

    /// <summary>The event for <see cref="RatingEngine.Rate"/>; null for a renewal, which rating derives from the terms itself.</summary>
    public SubscriptionEvent? ToRatingEvent() => RatingEvent(SubscriptionId, At, Kind, QuantityAfter, AutoRenew, Schedule, QuantityBefore, RelatedSubscriptionId, CustomTermEndDate);

    /// <summary><see cref="ToRatingEvent"/> from just the columns rating reads, for callers that load only those.</summary>
    public static SubscriptionEvent? RatingEvent(
        Guid subscriptionId, DateTimeOffset at, SubscriptionEventKind kind, int quantityAfter, bool? autoRenew, RenewalSchedule? schedule = null,
        int quantityBefore = 0, Guid? related = null, DateOnly? customTermEndDate = null) => kind switch
    {
        SubscriptionEventKind.Purchase => new(at, subscriptionId.ToString(), SubscriptionEventType.Purchase, quantityAfter, CustomTermEndDate: customTermEndDate),
        SubscriptionEventKind.ChangeQuantity => new(at, subscriptionId.ToString(), SubscriptionEventType.ChangeQuantity, quantityAfter),
        SubscriptionEventKind.Suspend => new(at, subscriptionId.ToString(), SubscriptionEventType.Suspend),
        SubscriptionEventKind.Activate => new(at, subscriptionId.ToString(), SubscriptionEventType.Activate),
        SubscriptionEventKind.Cancel => new(at, subscriptionId.ToString(), SubscriptionEventType.Cancel),
        SubscriptionEventKind.SetAutoRenew => new(at, subscriptionId.ToString(), SubscriptionEventType.SetAutoRenew, AutoRenew: autoRenew),
        SubscriptionEventKind.ScheduleRenewal => new(at, subscriptionId.ToString(), SubscriptionEventType.ScheduleRenewal, Schedule: schedule),
        SubscriptionEventKind.ClearSchedule => new(at, subscriptionId.ToString(), SubscriptionEventType.ClearSchedule),
        SubscriptionEventKind.CancelAtTermEnd => new(at, subscriptionId.ToString(), SubscriptionEventType.CancelAtTermEnd),
        SubscriptionEventKind.Upgrade => new(at, subscriptionId.ToString(), SubscriptionEventType.Upgrade, quantityBefore - quantityAfter, ToSubscriptionId: related?.ToString()),
        _ => null,
    };

    /// <summary>The same event as the billing preview's request reads it.</summary>
    public PreviewEvent? ToPreviewEvent() => ToRatingEvent() is { } e
        ? new PreviewEvent(
            e.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            e.SubscriptionId,
            e.Type.WireName(),
            e.Schedule?.Quantity ?? e.Quantity,
            e.AutoRenew,
            OfferId: e.Schedule?.OfferId,
            TermDuration: e.Schedule?.TermDuration?.WireName(),
            BillingFrequency: e.Schedule?.BillingFrequency?.WireName(),
            ToSubscriptionId: e.ToSubscriptionId,
            CustomTermEndDate: e.CustomTermEndDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
        : null;
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
        builder.Property(e => e.Schedule).HasConversion(JsonColumn<RenewalSchedule>.Converter, JsonColumn<RenewalSchedule>.Comparer).HasMaxLength(256);
        builder.HasOne<O365Subscription>().WithMany().HasForeignKey(e => e.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
    }
}
