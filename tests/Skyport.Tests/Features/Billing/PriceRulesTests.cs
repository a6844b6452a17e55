namespace Skyport.Tests.Features.Billing;

/// <summary>R5: customer price first, price locked for the term, refunds at the price they reverse; R8 renewal split.</summary>
public sealed class PriceRulesTests
{
    [Fact]
    public void The_customer_price_wins_for_the_same_offer_term_and_frequency()
    {
        var response = A.Scenario().WithGlobalPrice(12.50m).WithCustomerPrice(11.25m)
            .WithSubscription("S1")
            .Purchase("S1", "2025-02-16T08:00:00Z", 2)
            .Reports("2025-03")
            .Rate();

        Assert.Equal(["cycleFee 2025-02-16..2025-03-15 2 x 11.25 = 22.50 customer"], response.Lines("2025-03-16"));
    }

    [Fact]
    public void A_customer_price_for_another_term_does_not_apply()
    {
        var response = A.Scenario().WithGlobalPrice(12.50m).WithCustomerPrice(11.00m, term: "P1Y")
            .WithSubscription("S1")
            .Purchase("S1", "2025-02-16T08:00:00Z", 2)
            .Reports("2025-03")
            .Rate();

        Assert.Equal(["cycleFee 2025-02-16..2025-03-15 2 x 12.50 = 25.00 global"], response.Lines("2025-03-16"));
    }

    [Fact]
    public void The_price_is_locked_for_the_term_and_a_new_price_splits_the_renewal_cycle()
    {
        var response = A.Scenario()
            .WithGlobalPrice(20.00m, term: "P1Y")
            .WithGlobalPrice(25.00m, from: "2025-06-01", term: "P1Y")
            .WithSubscription("S1", term: "P1Y")
            .Purchase("S1", "2025-01-10T09:00:00Z", 10)
            .ChangeQuantity("S1", "2025-07-01T09:00:00Z", 12)
            .Reports("2025-07", "2026-02")
            .Rate();

        Assert.Equal(
            [
                "cycleFee 2025-06-16..2025-07-15 10 x 20.00 = 200.00 global",
                "proRata 2025-07-01..2025-07-15 2 x 20.00 = 20.00 global",
            ],
            response.Lines("2025-07-16"));
        Assert.Equal(["cycleFee 2025-11-16..2025-12-15 12 x 20.00 = 240.00 global"], response.Lines("2025-12-16"));
        Assert.Equal(
            [
                "proRata 2025-12-16..2026-01-09 12 x 20.00 = 193.55 global",
                "proRata 2026-01-10..2026-01-15 12 x 25.00 = 58.06 global",
            ],
            response.Lines("2026-01-16"));
        Assert.Equal(["cycleFee 2026-01-16..2026-02-15 12 x 25.00 = 300.00 global"], response.Lines("2026-02-16"));
    }

    [Fact]
    public void A_renewal_at_the_same_price_keeps_the_cycle_fee()
    {
        var response = A.Scenario().WithGlobalPrice(10.00m).WithGlobalPrice(10.00m, from: "2025-02-01")
            .WithSubscription("S1")
            .Purchase("S1", "2025-01-20T09:00:00Z", 1)
            .Reports("2025-03")
            .Rate();

        Assert.Equal(["cycleFee 2025-02-16..2025-03-15 1 x 10.00 = 10.00 global"], response.Lines("2025-03-16"));
    }

    [Fact]
    public void A_change_of_price_source_alone_at_renewal_also_splits_the_cycle()
    {
        var response = A.Scenario().WithCycleEndDay(31).WithGlobalPrice(10.00m).WithCustomerPrice(10.00m, from: "2025-03-01")
            .WithSubscription("S1")
            .Purchase("S1", "2025-02-10T09:00:00Z", 1)
            .Reports("2025-03", "2025-04")
            .Rate();

        Assert.Equal(
            [
                "proRata 2025-03-01..2025-03-09 1 x 10.00 = 2.90 global",
                "proRata 2025-03-10..2025-03-31 1 x 10.00 = 7.10 customer",
            ],
            response.Lines("2025-04-01"));
        Assert.Equal(["cycleFee 2025-04-01..2025-04-30 1 x 10.00 = 10.00 customer"], response.Lines("2025-05-01"));
    }

    [Fact]
    public void A_refund_after_a_renewal_uses_the_renewed_price_it_reverses()
    {
        var response = A.Scenario().WithCycleEndDay(31).WithGlobalPrice(10.00m).WithGlobalPrice(12.00m, from: "2025-03-01")
            .WithSubscription("S1")
            .Purchase("S1", "2025-02-05T09:00:00Z", 5)
            .ChangeQuantity("S1", "2025-03-07T09:00:00Z", 3)
            .Reports("2025-02", "2025-03")
            .Rate();

        Assert.Equal(["proRata 2025-02-05..2025-02-28 5 x 10.00 = 42.86 global"], response.Lines("2025-03-01"));
        Assert.Equal(
            [
                "proRata 2025-03-01..2025-03-04 5 x 10.00 = 6.45 global",
                "proRata 2025-03-05..2025-03-31 5 x 12.00 = 52.26 global",
                "refund 2025-03-07..2025-03-31 2 x 12.00 = -19.35 global",
            ],
            response.Lines("2025-04-01"));
        Assert.Empty(response.Rejected);
    }

    [Fact]
    public void A_century_of_monthly_renewals_keeps_the_anchor_day_and_picks_up_a_late_price_change()
    {
        var response = A.Scenario().WithCycleEndDay(31).WithGlobalPrice(10.00m, from: "2000-01-01").WithGlobalPrice(11.00m, from: "2099-12-15")
            .WithSubscription("S1")
            .Purchase("S1", "2000-01-31T09:00:00Z", 1)
            .Reports("2099-11", "2099-12")
            .Rate();

        Assert.Equal(["cycleFee 2099-11-01..2099-11-30 1 x 10.00 = 10.00 global"], response.Lines("2099-12-01"));
        Assert.Equal(
            [
                "proRata 2099-12-01..2099-12-30 1 x 10.00 = 9.68 global",
                "proRata 2099-12-31..2099-12-31 1 x 11.00 = 0.35 global",
            ],
            response.Lines("2100-01-01"));
    }

    [Fact]
    public void A_purchase_before_any_price_is_in_force_is_rejected()
    {
        var response = A.Scenario().WithGlobalPrice(10.00m, from: "2025-06-01")
            .WithSubscription("S1")
            .Purchase("S1", "2025-03-01T09:00:00Z", 5)
            .Reports("2025-03")
            .Rate();

        var rejected = Assert.Single(response.Rejected);
        Assert.Equal(0, rejected.EventIndex);
        Assert.Contains("No price", rejected.Reason);
        Assert.Empty(response.Report("2025-03-16").Subscriptions);
    }
}
