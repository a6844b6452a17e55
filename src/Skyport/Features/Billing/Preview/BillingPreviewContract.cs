using System.Text.Json.Serialization;
using Skyport.Features.Billing.Rating;

namespace Skyport.Features.Billing.Preview;

// Request fields are nullable and dates, months and enums are text so that every bad field is
// reported by name (BillingScenario.TryRead) instead of failing deserialization as a whole.

public sealed record BillingPreviewRequest(
    int? BillingCycleEndDay,
    string? Currency,
    PreviewPriceLists? PriceLists,
    IReadOnlyList<PreviewSubscription>? Subscriptions,
    IReadOnlyList<PreviewEvent>? Events,
    PreviewReportRange? Reports);

public sealed record PreviewPriceLists(IReadOnlyList<PreviewPrice>? Global, IReadOnlyList<PreviewPrice>? Customer);

public sealed record PreviewPrice(
    string? OfferId,
    string? TermDuration,
    string? BillingFrequency,
    decimal? UnitPrice,
    string? EffectiveFrom);

public sealed record PreviewSubscription(
    string? Id,
    string? OfferId,
    string? TermDuration,
    string? BillingFrequency,
    bool? AutoRenew,
    string? ParentId);

/// <summary>
/// <see cref="AssignedLicenses"/> is optional: the licenses assigned to users when the event happens (R7).
/// <see cref="OfferId"/>, <see cref="TermDuration"/> and <see cref="BillingFrequency"/> (with <see cref="Quantity"/>) are a
/// scheduleRenewal's next-term values (R10); <see cref="ToSubscriptionId"/> an upgrade's target (R11), whose
/// <see cref="Quantity"/> is the seats moved; <see cref="CustomTermEndDate"/> a purchase's first term end (R13).
/// </summary>
public sealed record PreviewEvent(
    string? At,
    string? SubscriptionId,
    string? Type,
    int? Quantity = null,
    bool? AutoRenew = null,
    int? AssignedLicenses = null,
    string? OfferId = null,
    string? TermDuration = null,
    string? BillingFrequency = null,
    string? ToSubscriptionId = null,
    string? CustomTermEndDate = null);

public sealed record PreviewReportRange(string? From, string? To);

public sealed record BillingPreviewResponse(IReadOnlyList<PreviewReport> Reports, IReadOnlyList<PreviewRejectedEvent> Rejected)
{
    public static BillingPreviewResponse From(RatingResult result) => new(
        [.. result.Reports.Select(report => new PreviewReport(
            report.BillingDate,
            report.PeriodStart,
            report.PeriodEnd,
            report.Currency,
            report.Total,
            [.. report.Subscriptions.Select(charges => new PreviewSubscriptionCharges(
                charges.SubscriptionId,
                charges.ParentId,
                charges.OfferId,
                charges.Total,
                [.. charges.Lines.Select(line => PreviewLine.From(line, charges.OfferId))]))]))],
        [.. result.Rejected.Select(rejected => new PreviewRejectedEvent(rejected.EventIndex, rejected.Reason))]);
}

public sealed record PreviewReport(
    DateOnly BillingDate,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    string Currency,
    decimal Total,
    IReadOnlyList<PreviewSubscriptionCharges> Subscriptions);

public sealed record PreviewSubscriptionCharges(
    string SubscriptionId,
    string? ParentId,
    string OfferId,
    decimal Total,
    IReadOnlyList<PreviewLine> Lines);

/// <summary>
/// <see cref="OfferId"/> is given when the line's offer is not its subscription's (the offer changed at a renewal, R10,
/// R14.9); <see cref="Extended"/> is true on lines of the extended service term (R12). Both are left out otherwise.
/// </summary>
public sealed record PreviewLine(
    string Type,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    int Quantity,
    decimal UnitPrice,
    decimal Amount,
    string PriceSource,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? OfferId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Extended = null)
{
    public static PreviewLine From(BillingLine line, string subscriptionOfferId) => new(
        line.Type.WireName(),
        line.PeriodStart,
        line.PeriodEnd,
        line.Quantity,
        line.UnitPrice,
        line.Amount,
        line.PriceSource.WireName(),
        line.OfferId == subscriptionOfferId ? null : line.OfferId,
        line.Extended ? true : null);
}

public sealed record PreviewRejectedEvent(int EventIndex, string Reason);
