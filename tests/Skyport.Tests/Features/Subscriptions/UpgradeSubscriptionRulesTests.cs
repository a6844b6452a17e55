using Skyport.Features.Billing.Rating;
using Skyport.Features.Subscriptions;
using Skyport.PartnerCenter;
using Skyport.Web;

namespace Skyport.Tests.Features.Subscriptions;

public sealed class UpgradeSubscriptionRulesTests
{
    private static O365Subscription Source(SubscriptionStatus status = SubscriptionStatus.Active, int quantity = 3) => new()
    {
        Id = Guid.NewGuid(), OfferId = "basic", Name = "Business Basic", Quantity = quantity, Status = status, TermDuration = "P1M",
        BillingFrequency = "monthly", StartDate = new(2026, 3, 10), UnitPrice = 6m, PriceSource = "global", Currency = "EUR",
    };

    [Theory]
    [InlineData(null, 1, "toOfferId")]
    [InlineData(" ", 1, "toOfferId")]
    [InlineData("standard", 0, "quantity")]
    [InlineData("standard", 10_001, "quantity")]
    public void A_request_without_an_offer_or_with_a_quantity_out_of_range_names_the_field(string? offer, int quantity, string field)
    {
        var outcome = UpgradeSubscriptionRules.Check(new(offer, quantity, null));
        Assert.Equal(FailureKind.Invalid, outcome.Failure!.Kind);
        Assert.True(outcome.Failure.Errors!.ContainsKey(field));
    }

    [Fact]
    public void A_checked_request_is_trimmed_and_moves_no_licenses_unless_asked() =>
        Assert.Equal(new UpgradeSubscriptionRequest("standard", 2, false), UpgradeSubscriptionRules.Check(new(" standard ", 2, null)).Value);

    [Theory]
    [InlineData(SubscriptionStatus.Suspended, false, 1, FailureKind.RuleRefused, null)]
    [InlineData(SubscriptionStatus.Cancelled, false, 1, FailureKind.RuleRefused, null)]
    [InlineData(SubscriptionStatus.Active, true, 1, FailureKind.RuleRefused, null)]
    [InlineData(SubscriptionStatus.Active, false, 4, FailureKind.Invalid, "quantity")]
    public void The_source_must_be_active_not_extended_and_have_the_seats(SubscriptionStatus status, bool extended, int seats, FailureKind kind, string? field)
    {
        var failure = UpgradeSubscriptionRules.CheckSource(Source(status), extended, seats, "standard")!;
        Assert.Equal(kind, failure.Kind);
        if (field is not null) Assert.True(failure.Errors!.ContainsKey(field));
    }

    [Fact]
    public void The_same_offer_is_no_upgrade_and_an_active_source_with_the_seats_is()
    {
        Assert.True(UpgradeSubscriptionRules.CheckSource(Source(), false, 1, "basic")!.Errors!.ContainsKey("toOfferId"));
        Assert.Null(UpgradeSubscriptionRules.CheckSource(Source(), false, 3, "standard"));
    }

    [Fact]
    public void Eligible_offers_are_those_Partner_Center_allows_by_the_transition_type_asked()
    {
        TransitionEligibility Item(string id, bool onlyEligible, bool transferEligible) => new(id, id, null, 3,
            [new(onlyEligible, TransitionTypes.TransitionOnly, []), new(transferEligible, TransitionTypes.WithLicenseTransfer, [])], []);
        var items = new[] { Item("standard", true, true), Item("premium", true, false) };
        Assert.Equal(["premium", "standard"], UpgradeSubscriptionRules.EligibleOfferIds(items, transferLicenses: false).Order());
        Assert.Equal(["standard"], UpgradeSubscriptionRules.EligibleOfferIds(items, transferLicenses: true));
        Assert.Null(UpgradeSubscriptionRules.SourceRefusal(items));
        var refused = new TransitionEligibility("standard", "Standard", null, 3, [new(false, TransitionTypes.TransitionOnly, [new(1, "source subscription isn't active.")])], []);
        Assert.Equal("source subscription isn't active.", UpgradeSubscriptionRules.SourceRefusal([refused]));
    }

    [Fact]
    public void The_cost_of_the_change_refunds_the_source_and_charges_the_target_for_the_same_days()
    {
        var quote = UpgradeSubscriptionRules.Quote(Source(), 3, 12m, new DateOnly(2026, 3, 20), cycleEndDay: 31);
        Assert.Equal((new DateOnly(2026, 3, 20), new DateOnly(2026, 3, 31)), (quote.From, quote.To));
        Assert.Equal(ChangeQuotes.Upgrade(3, new(2026, 3, 20), BillingFrequency.Monthly, 31, new(2026, 4, 9), 31, 6m, 12m), quote);
        Assert.True(quote.Refund < 0 && quote.Charge == -2 * quote.Refund);
    }

    [Fact]
    public void A_retry_finds_the_earlier_transition_of_the_same_seats_that_no_other_upgrade_claims()
    {
        var source = Guid.NewGuid();
        Transition To(Guid target, int seats) => new("basic", source, "standard", target, seats, "P1M", "monthly", TransitionTypes.TransitionOnly, []);
        var (claimed, mine) = (Guid.NewGuid(), Guid.NewGuid());
        var history = new[] { To(claimed, 1), To(mine, 1), To(Guid.NewGuid(), 2) };
        Assert.Equal(mine, UpgradeSubscriptionRules.Earlier(history, source, "STANDARD", 1, [claimed])!.ToSubscriptionId);
        Assert.Null(UpgradeSubscriptionRules.Earlier(history, source, "premium", 1, []));
    }

    [Theory]
    [InlineData("2002", new string[0], "quantity")]
    [InlineData("3000", new[] { "toCatalogItemId" }, "toOfferId")]
    public void Partner_Centers_refusal_names_the_field_it_is_about(string code, string[] data, string field) =>
        Assert.True(UpgradeSubscriptionRules.Refused(new PartnerCenterError(400, code, "refused", data)).Errors!.ContainsKey(field));
}
