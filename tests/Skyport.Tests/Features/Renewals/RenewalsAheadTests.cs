using Skyport.Features.Billing.Rating;
using Skyport.Features.Renewals;

namespace Skyport.Tests.Features.Renewals;

public sealed class RenewalsAheadTests
{
    private const string Basic = "BASIC";
    private const string Standard = "STANDARD";
    private static readonly DateOnly Today = new(2026, 12, 3);

    private static readonly PriceLookup Prices = new(PriceLists.GlobalOnly(
        new PriceEntry(Basic, TermDuration.P1M, BillingFrequency.Monthly, 7.20m, new DateOnly(2025, 1, 1)),
        new PriceEntry(Basic, TermDuration.P1Y, BillingFrequency.Monthly, 6.00m, new DateOnly(2025, 1, 1)),
        new PriceEntry(Basic, TermDuration.P1Y, BillingFrequency.Monthly, 6.60m, new DateOnly(2026, 12, 15)),
        new PriceEntry(Standard, TermDuration.P1Y, BillingFrequency.Monthly, 12.50m, new DateOnly(2025, 1, 1))));

    private static RenewalFacts Annual(DateOnly termEnd, bool autoRenew = true, bool cancelAtTermEnd = false, RenewalSchedule? scheduled = null,
        SubscriptionStatus status = SubscriptionStatus.Active, DateOnly? boughtOn = null, bool extended = false) => new(
        Guid.NewGuid(), Guid.NewGuid(), "Northwind", "Office staff", Basic, 10, 6.00m, PriceSource.Global, "EUR", TermDuration.P1Y, BillingFrequency.Monthly,
        status, autoRenew, cancelAtTermEnd, extended, boughtOn ?? termEnd.AddDays(1).AddYears(-1), termEnd, scheduled);

    private static RenewalAhead Only(RenewalFacts facts, int days = 30) => Assert.Single(RenewalsAhead.Within([facts], Today, days, _ => Prices));

    [Fact]
    public void A_term_that_renews_takes_the_price_in_force_on_the_renewal_date()
    {
        // The term ends on 2026-12-20; from 2026-12-21 the 6.60 price (in force since 2026-12-15) replaces the locked 6.00.
        var renewal = Only(Annual(new DateOnly(2026, 12, 20)));
        Assert.Equal(RenewalAction.Renews, renewal.Action);
        Assert.Equal(new DateOnly(2026, 12, 21), renewal.EffectiveOn);
        Assert.Equal(60.00m, renewal.MonthlyBefore);
        Assert.Equal(66.00m, renewal.MonthlyAfter);
        Assert.Equal("", renewal.Changes);
    }

    [Fact]
    public void Scheduled_changes_set_the_quantity_and_product_of_the_next_term()
    {
        var renewal = Only(Annual(new DateOnly(2026, 12, 20), scheduled: new RenewalSchedule(Quantity: 4, OfferId: Standard)));
        Assert.Equal(RenewalAction.RenewsWithChanges, renewal.Action);
        Assert.Equal("quantity 10 → 4, product BASIC → STANDARD", renewal.Changes);
        Assert.Equal(4, renewal.QuantityAfter);
        Assert.Equal(50.00m, renewal.MonthlyAfter); // 4 × 12.50
    }

    [Fact]
    public void Auto_renew_off_enters_the_extended_service_term_at_the_monthly_price_plus_three_percent()
    {
        // P1M monthly 7.20 × 1.03 = 7.416 → 7.42 a seat; 10 seats.
        var renewal = Only(Annual(new DateOnly(2026, 12, 20), autoRenew: false));
        Assert.Equal(RenewalAction.EntersExtendedTerm, renewal.Action);
        Assert.Equal(74.20m, renewal.MonthlyAfter);
        Assert.Equal("month to month at 7.42 a seat", renewal.Changes);
    }

    [Fact]
    public void Cancelled_at_term_end_or_bought_before_April_2025_it_lapses()
    {
        Assert.Equal(RenewalAction.Lapses, Only(Annual(new DateOnly(2026, 12, 20), autoRenew: false, cancelAtTermEnd: true)).Action);
        var old = Only(Annual(new DateOnly(2026, 12, 20), autoRenew: false, boughtOn: new DateOnly(2025, 3, 31)));
        Assert.Equal(RenewalAction.Lapses, old.Action);
        Assert.Equal(0, old.QuantityAfter);
        Assert.Equal(0m, old.MonthlyAfter);
    }

    [Fact]
    public void Only_active_or_suspended_terms_ending_within_the_window_and_not_already_extended_are_listed()
    {
        RenewalFacts[] all =
        [
            Annual(Today), // ends today: still ahead
            Annual(Today.AddDays(7)),
            Annual(Today.AddDays(8)),
            Annual(Today.AddDays(-1)),
            Annual(Today.AddDays(3), status: SubscriptionStatus.Cancelled),
            Annual(Today.AddDays(3), autoRenew: false, extended: true),
        ];
        var listed = RenewalsAhead.Within(all, Today, 7, _ => Prices);
        Assert.Equal([Today, Today.AddDays(7)], listed.Select(r => r.TermEnd));
    }

    [Theory]
    [InlineData(40, null)]
    [InlineData(30, 30)]
    [InlineData(8, 30)]
    [InlineData(7, 7)]
    [InlineData(0, 7)]
    [InlineData(-1, null)]
    public void The_notice_due_is_the_nearest_threshold_crossed(int daysLeft, int? due) =>
        Assert.Equal(due, RenewalNoticeRules.ThresholdDue(Today.AddDays(daysLeft), Today, [30, 7]));

    [Fact]
    public void A_term_is_announced_once_per_threshold_and_never_at_a_farther_one_after_a_nearer()
    {
        var soon = Only(Annual(Today.AddDays(20)));
        Assert.Single(RenewalNoticeRules.Due([soon], Today, [30, 7], new Dictionary<(Guid, DateOnly), int>()));
        var toldAt30 = new Dictionary<(Guid, DateOnly), int> { [(soon.SubscriptionId, soon.TermEnd)] = 30 };
        Assert.Empty(RenewalNoticeRules.Due([soon], Today, [30, 7], toldAt30));
        Assert.Single(RenewalNoticeRules.Due([soon], Today.AddDays(14), [30, 7], toldAt30)); // 6 days left: the 7-day notice
        var toldAt7 = new Dictionary<(Guid, DateOnly), int> { [(soon.SubscriptionId, soon.TermEnd)] = 7 };
        Assert.Empty(RenewalNoticeRules.Due([soon], Today.AddDays(14), [30, 7], toldAt7));
    }
}
