using System.Globalization;
using Skyport.Features.Billing.Preview;
using Skyport.Features.Billing.Rating;

namespace Skyport.Tests.Features.Billing;

internal static class A
{
    public static ScenarioBuilder Scenario() => new();
}

/// <summary>Builds preview requests in the contract's own shape; defaults to E=15, EUR.</summary>
internal sealed class ScenarioBuilder
{
    public const string Offer = "M365-BASIC";

    private readonly List<PreviewPrice> _global = [];
    private readonly List<PreviewPrice> _customer = [];
    private readonly List<PreviewSubscription> _subscriptions = [];
    private readonly List<PreviewEvent> _events = [];
    private int? _cycleEndDay = 15;
    private string? _currency = "EUR";
    private string? _from;
    private string? _to;

    public ScenarioBuilder WithCycleEndDay(int? endDay)
    {
        _cycleEndDay = endDay;
        return this;
    }

    public ScenarioBuilder WithCurrency(string? currency)
    {
        _currency = currency;
        return this;
    }

    public ScenarioBuilder WithGlobalPrice(
        decimal unitPrice, string from = "2020-01-01", string offer = Offer, string term = "P1M", string frequency = "monthly")
    {
        _global.Add(new PreviewPrice(offer, term, frequency, unitPrice, from));
        return this;
    }

    public ScenarioBuilder WithCustomerPrice(
        decimal unitPrice, string from = "2020-01-01", string offer = Offer, string term = "P1M", string frequency = "monthly")
    {
        _customer.Add(new PreviewPrice(offer, term, frequency, unitPrice, from));
        return this;
    }

    public ScenarioBuilder WithSubscription(
        string id, string offer = Offer, string term = "P1M", string frequency = "monthly", bool autoRenew = true, string? parentId = null)
    {
        _subscriptions.Add(new PreviewSubscription(id, offer, term, frequency, autoRenew, parentId));
        return this;
    }

    public ScenarioBuilder Purchase(string id, string at, int? quantity) =>
        Event(new PreviewEvent(Instant(at), id, "purchase", quantity));

    public ScenarioBuilder ChangeQuantity(string id, string at, int? quantity, int? assignedLicenses = null) =>
        Event(new PreviewEvent(Instant(at), id, "changeQuantity", quantity, AssignedLicenses: assignedLicenses));

    public ScenarioBuilder Suspend(string id, string at) => Event(new PreviewEvent(Instant(at), id, "suspend"));

    public ScenarioBuilder Activate(string id, string at) => Event(new PreviewEvent(Instant(at), id, "activate"));

    public ScenarioBuilder Cancel(string id, string at, int? assignedLicenses = null) =>
        Event(new PreviewEvent(Instant(at), id, "cancel", AssignedLicenses: assignedLicenses));

    public ScenarioBuilder SetAutoRenew(string id, string at, bool autoRenew) =>
        Event(new PreviewEvent(Instant(at), id, "setAutoRenew", AutoRenew: autoRenew));

    public ScenarioBuilder Purchase(string id, string at, int quantity, string customTermEndDate) =>
        Event(new PreviewEvent(Instant(at), id, "purchase", quantity, CustomTermEndDate: customTermEndDate));

    public ScenarioBuilder ScheduleRenewal(
        string id, string at, int? quantity = null, string? offer = null, string? term = null, string? frequency = null) =>
        Event(new PreviewEvent(Instant(at), id, "scheduleRenewal", quantity, OfferId: offer, TermDuration: term, BillingFrequency: frequency));

    public ScenarioBuilder ClearSchedule(string id, string at) => Event(new PreviewEvent(Instant(at), id, "clearSchedule"));

    public ScenarioBuilder Upgrade(string id, string at, string to, int? seats) =>
        Event(new PreviewEvent(Instant(at), id, "upgrade", seats, ToSubscriptionId: to));

    public ScenarioBuilder CancelAtTermEnd(string id, string at) => Event(new PreviewEvent(Instant(at), id, "cancelAtTermEnd"));

    public ScenarioBuilder Event(PreviewEvent change)
    {
        _events.Add(change);
        return this;
    }

    public ScenarioBuilder Reports(string from, string? to = null)
    {
        _from = from;
        _to = to ?? from;
        return this;
    }

    public BillingPreviewRequest Build() => new(
        _cycleEndDay,
        _currency,
        new PreviewPriceLists(_global, _customer),
        _subscriptions,
        _events,
        new PreviewReportRange(_from, _to));

    /// <summary>Validates and rates the scenario; fails the test when the scenario is invalid.</summary>
    public BillingPreviewResponse Rate() => Preview.Rate(Build());

    public IDictionary<string, string[]> Errors()
    {
        Assert.False(BillingScenario.TryRead(Build(), out _, out var errors), "The scenario was expected to be invalid.");
        return errors;
    }

    // A bare date means midnight UTC; anything else is passed through as written.
    private static string Instant(string at) =>
        at.Length == 10 ? at + "T00:00:00Z" : at;
}

internal static class Preview
{
    public static BillingPreviewResponse Rate(BillingPreviewRequest request)
    {
        var valid = BillingScenario.TryRead(request, out var input, out var errors);
        Assert.True(valid, "Invalid scenario: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        return BillingPreviewResponse.From(RatingEngine.Rate(input!));
    }

    /// <summary>One line as a reader would check it: "proRata 2025-04-01..2025-04-15 3 x 12.50 = 18.15 global".</summary>
    public static string Describe(PreviewLine line) => string.Create(
        CultureInfo.InvariantCulture,
        $"{line.Type} {line.PeriodStart:yyyy-MM-dd}..{line.PeriodEnd:yyyy-MM-dd} {line.Quantity} x {line.UnitPrice:0.00##} = {line.Amount:0.00} {line.PriceSource}{(line.OfferId is { } offer ? " " + offer : "")}{(line.Extended == true ? " extended" : "")}");

    public static PreviewReport Report(this BillingPreviewResponse response, string billingDate) =>
        Assert.Single(response.Reports, r => r.BillingDate == DateOnly.Parse(billingDate, CultureInfo.InvariantCulture));

    public static string[] Lines(this PreviewReport report, string subscriptionId) =>
        [.. Assert.Single(report.Subscriptions, s => s.SubscriptionId == subscriptionId).Lines.Select(Describe)];

    public static string[] Lines(this BillingPreviewResponse response, string billingDate, string subscriptionId = "S1") =>
        response.Report(billingDate).Lines(subscriptionId);

    public static int[] RejectedIndices(this BillingPreviewResponse response) =>
        [.. response.Rejected.Select(r => r.EventIndex)];
}
