using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Skyport.Features.Billing.Rating;
using Skyport.Features.Organizations;

namespace Skyport.Features.Subscriptions;

/// <summary>A Partner Center subscription of a customer, as Skyport last agreed it with Partner Center. Its id is Partner Center's.</summary>
public sealed class O365Subscription
{
    public Guid Id { get; init; }
    public Guid OrganizationId { get; init; }
    public required string OfferId { get; set; }
    public required string Name { get; set; }
    public string? FriendlyName { get; set; }
    public string? PurchaseOrderNumber { get; set; }
    public int Quantity { get; set; }
    public SubscriptionStatus Status { get; set; }
    public bool AutoRenew { get; set; }
    public required string TermDuration { get; set; }
    public required string BillingFrequency { get; set; }
    /// <summary>The first term's start: terms are anchored on it (R6); a renewal to another term duration re-anchors them on itself.</summary>
    public DateOnly StartDate { get; set; }
    /// <summary>The first term's end when it was bought co-terminous (R13); later terms are anchored on the day after.</summary>
    public DateOnly? CustomTermEndDate { get; set; }
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
    /// <summary>R10: what Partner Center changes at the renewal (null: it renews as it is); any immediate change deletes it.</summary>
    public RenewalSchedule? ScheduledRenewal { get; set; }
    /// <summary>R12: auto-renew off and the subscription ends at term end instead of entering the extended service term.</summary>
    public bool CancelAtTermEnd { get; set; }
    /// <summary>R12: the day the extended service term began (null: not extended) and its monthly unit price, locked then.</summary>
    public DateOnly? ExtendedSince { get; set; }
    public decimal? ExtendedUnitPrice { get; set; }
    /// <summary>The offer, term and billing frequency it was bought with, kept once a renewal changed them: billing replays from them.</summary>
    public PurchasedPlan? PurchasedAs { get; set; }

    public TermDuration Term => Enum.Parse<TermDuration>(TermDuration);

    public Billing.Rating.BillingFrequency Frequency =>
        BillingFrequency == "annual" ? Billing.Rating.BillingFrequency.Annual : Billing.Rating.BillingFrequency.Monthly;

    /// <summary>Whose price list the unit price came from; "none" (no price found when adopted) reads as the global list.</summary>
    public Billing.Rating.PriceSource Source => WireNames.TryParse(PriceSource, out Billing.Rating.PriceSource source) ? source : Billing.Rating.PriceSource.Global;

    /// <summary>The current term's last day: the price lock ends then, and the subscription renews or expires the day after.</summary>
    public DateOnly RenewalDate(DateOnly today)
    {
        if (CustomTermEndDate is { } firstEnd && StartDate <= firstEnd && today <= firstEnd) return firstEnd;
        var anchor = TermAnchor;
        var index = today < anchor ? 0 : Terms.IndexContaining(anchor, Term, today);
        return Terms.End(anchor, Term, index);
    }

    public DateOnly TermStart(DateOnly today)
    {
        if (CustomTermEndDate is { } firstEnd && StartDate <= firstEnd && today <= firstEnd) return StartDate;
        var anchor = TermAnchor;
        return Terms.Start(anchor, Term, today < anchor ? 0 : Terms.IndexContaining(anchor, Term, today));
    }

    /// <summary>
    /// Where full terms are counted from: the start, or the day after a co-termed first term (R13), unless a renewal to
    /// another term duration has re-anchored the terms on itself since.
    /// </summary>
    private DateOnly TermAnchor => CustomTermEndDate is { } firstEnd && StartDate <= firstEnd ? firstEnd.AddDays(1) : StartDate;

    /// <summary>What the quantity costs a month: the unit price per billing period, spread over 12 months for annual billing.</summary>
    public decimal MonthlyCost(int quantity) => SubscriptionMath.MonthlyCost(UnitPrice, quantity, BillingFrequency);

    public SubscriptionPlan ToPlan(bool autoRenewAtPurchase)
    {
        var (offerId, term, frequency) = PurchasedAs is { } bought ? (bought.OfferId, bought.TermDuration, bought.BillingFrequency) : (OfferId, TermDuration, BillingFrequency);
        return new(
            Id.ToString(), offerId, Enum.Parse<TermDuration>(term),
            frequency == "annual" ? Billing.Rating.BillingFrequency.Annual : Billing.Rating.BillingFrequency.Monthly,
            autoRenewAtPurchase, ParentSubscriptionId?.ToString());
    }
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
        builder.Ignore(s => s.Frequency);
        builder.Ignore(s => s.Source);
        builder.Property(s => s.ScheduledRenewal).HasConversion(JsonColumn<RenewalSchedule>.Converter, JsonColumn<RenewalSchedule>.Comparer).HasMaxLength(256);
        builder.Property(s => s.ExtendedUnitPrice).HasPrecision(18, 2);
        builder.Property(s => s.PurchasedAs).HasConversion(JsonColumn<PurchasedPlan>.Converter, JsonColumn<PurchasedPlan>.Comparer).HasMaxLength(256);
        builder.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

