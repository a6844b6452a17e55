using Skyport.Features.Billing.Preview;

namespace Skyport.Tests.Features.Billing;

/// <summary>The contract's Errors section: every malformed field is named, with a message a person understands.</summary>
public sealed class ScenarioValidationTests
{
    private const string At = "2025-03-02T09:00:00Z";

    private static ScenarioBuilder Valid() =>
        A.Scenario().WithGlobalPrice(10.00m).WithSubscription("S1")
            .Purchase("S1", "2025-03-01T09:00:00Z", 5)
            .Reports("2025-03", "2025-04");

    private static readonly (string Case, string Field, Func<ScenarioBuilder> Scenario)[] Cases =
    [
        ("unknown offer with no price", "subscriptions[1].offerId", () => Valid().WithSubscription("S2", offer: "NOPE")),
        ("price only for another frequency", "subscriptions[1].offerId", () => Valid().WithSubscription("S2", term: "P1Y", frequency: "annual")),
        ("event for an unknown subscription", "events[1].subscriptionId", () => Valid().ChangeQuantity("S9", At, 3)),
        ("purchase of 0 seats", "events[1].quantity", () => Valid().WithSubscription("S2").Purchase("S2", At, 0)),
        ("purchase without quantity", "events[1].quantity", () => Valid().WithSubscription("S2").Purchase("S2", At, null)),
        ("quantity change to 0", "events[1].quantity", () => Valid().ChangeQuantity("S1", At, 0)),
        ("cycle end day 0", "billingCycleEndDay", () => Valid().WithCycleEndDay(0)),
        ("cycle end day 32", "billingCycleEndDay", () => Valid().WithCycleEndDay(32)),
        ("cycle end day missing", "billingCycleEndDay", () => Valid().WithCycleEndDay(null)),
        ("to before from", "reports.to", () => Valid().Reports("2025-04", "2025-03")),
        ("121 months", "reports", () => Valid().Reports("2015-01", "2025-01")),
        ("month 13", "reports.from", () => Valid().Reports("2025-13", "2026-01")),
        ("month without leading zero", "reports.from", () => Valid().Reports("2025-1", "2025-02")),
        ("month before 2000", "reports.from", () => Valid().Reports("1999-12", "2000-01")),
        ("impossible date", "priceLists.global[1].effectiveFrom", () => Valid().WithGlobalPrice(11.00m, from: "2025-02-30")),
        ("instant without offset", "events[1].at", () => Valid().ChangeQuantity("S1", "2025-03-02T09:00:00", 6)),
        ("instant with a space", "events[1].at", () => Valid().ChangeQuantity("S1", "2025-03-02 09:00:00Z", 6)),
        ("instant before 2000", "events[1].at", () => Valid().ChangeQuantity("S1", "1999-12-31T23:00:00Z", 6)),
        ("unknown event type", "events[1].type", () => Valid().Event(new PreviewEvent(At, "S1", "renew"))),
        ("setAutoRenew without value", "events[1].autoRenew", () => Valid().Event(new PreviewEvent(At, "S1", "setAutoRenew"))),
        ("negative assigned licenses", "events[1].assignedLicenses", () => Valid().ChangeQuantity("S1", At, 6, assignedLicenses: -1)),
        ("annual billing on a monthly term", "subscriptions[1].billingFrequency", () =>
            Valid().WithSubscription("S2", frequency: "annual")),
        ("unknown term", "subscriptions[1].termDuration", () => Valid().WithSubscription("S2", term: "P2Y")),
        ("duplicate subscription id", "subscriptions[1].id", () => Valid().WithSubscription("S1")),
        ("unknown base subscription", "subscriptions[1].parentId", () => Valid().WithSubscription("S2", parentId: "S9")),
        ("add-on of an add-on", "subscriptions[2].parentId", () => Valid().WithSubscription("S2", parentId: "S1").WithSubscription("S3", parentId: "S2")),
        ("currency not ISO 4217", "currency", () => Valid().WithCurrency("euro")),
        ("currency missing", "currency", () => Valid().WithCurrency(null)),
        ("negative price", "priceLists.global[1].unitPrice", () => Valid().WithGlobalPrice(-1m, from: "2025-01-01")),
    ];

    public static TheoryData<string, string> MalformedScenarios()
    {
        var data = new TheoryData<string, string>();
        foreach (var (name, field, _) in Cases)
        {
            data.Add(name, field);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MalformedScenarios))]
    public void A_malformed_scenario_names_the_bad_field(string scenario, string field)
    {
        var errors = Cases.Single(c => c.Case == scenario).Scenario().Errors();

        Assert.Equal([field], errors.Keys);
        Assert.All(errors[field], message => Assert.False(string.IsNullOrWhiteSpace(message)));
    }

    [Fact]
    public void Messages_say_what_is_wrong()
    {
        Assert.Equal(
            ["The billing cycle end day must be between 1 and 31, not 32."],
            Valid().WithCycleEndDay(32).Errors()["billingCycleEndDay"]);
        Assert.Equal(
            ["No price list has a price for offer NOPE (P1M, monthly)."],
            Valid().WithSubscription("S2", offer: "NOPE").Errors()["subscriptions[1].offerId"]);
        Assert.Equal(
            ["The last month (2025-03) is before the first month (2025-04)."],
            Valid().Reports("2025-04", "2025-03").Errors()["reports.to"]);
    }

    [Fact]
    public void Several_bad_fields_are_all_reported()
    {
        var errors = Valid().WithCycleEndDay(40).WithCurrency("eu").Reports("2025-05", "2025-01").Errors();

        Assert.Equal(["billingCycleEndDay", "currency", "reports.to"], errors.Keys.Order());
    }

    [Fact]
    public void Exactly_120_months_is_accepted()
    {
        var response = Valid().Reports("2015-02", "2025-01").Rate();

        Assert.Equal(120, response.Reports.Count);
    }

    [Fact]
    public void More_than_10000_events_is_refused_and_10000_is_accepted()
    {
        var atLimit = Valid();
        var overLimit = Valid();
        for (var i = 1; i < 10_000; i++)
        {
            var at = DateTimeOffset.Parse("2025-03-02T00:00:00Z").AddMinutes(i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
            atLimit.SetAutoRenew("S1", at, i % 2 == 0);
            overLimit.SetAutoRenew("S1", at, i % 2 == 0);
        }

        overLimit.SetAutoRenew("S1", "2025-03-20T00:00:00Z", true);

        Assert.Empty(atLimit.Rate().Rejected);
        Assert.Equal(["events"], overLimit.Errors().Keys);
    }

    [Fact]
    public void Missing_collections_are_empty_and_a_missing_report_range_is_an_error()
    {
        var errors = BillingScenario.TryRead(new BillingPreviewRequest(15, "EUR", null, null, null, null), out _, out var found)
            ? throw new Xunit.Sdk.XunitException("expected invalid")
            : found;

        Assert.Equal(["reports"], errors.Keys);
        Assert.True(BillingScenario.TryRead(
            new BillingPreviewRequest(15, "EUR", null, null, null, new PreviewReportRange("2025-01", "2025-01")), out var input, out _));
        Assert.Empty(input.Subscriptions);
    }
}
