namespace Skyport.Tests.Features.Billing;

/// <summary>R6: annual billing charges the whole term once; changes are prorated over the term's days.</summary>
public sealed class AnnualBillingTests
{
    private static ScenarioBuilder Annual() =>
        A.Scenario().WithGlobalPrice(264.00m, term: "P1Y", frequency: "annual")
            .WithSubscription("S1", term: "P1Y", frequency: "annual");

    [Fact]
    public void One_cycle_fee_for_the_whole_term_then_a_change_prorated_to_the_term_end()
    {
        var response = Annual()
            .Purchase("S1", "2025-01-10T09:00:00Z", 5)
            .ChangeQuantity("S1", "2025-03-01T09:00:00Z", 6)
            .Reports("2025-01", "2026-01")
            .Rate();

        Assert.Equal(["cycleFee 2025-01-10..2026-01-09 5 x 264.00 = 1320.00 global"], response.Lines("2025-01-16"));
        Assert.Equal(["proRata 2025-03-01..2026-01-09 1 x 264.00 = 227.84 global"], response.Lines("2025-03-16"));
        Assert.Equal(["cycleFee 2026-01-10..2027-01-09 6 x 264.00 = 1584.00 global"], response.Lines("2026-01-16"));
        Assert.Equal(3, response.Reports.Count(r => r.Subscriptions.Count > 0));
        Assert.Equal(13, response.Reports.Count);
    }

    [Fact]
    public void A_leap_year_term_has_366_days()
    {
        var response = Annual()
            .Purchase("S1", "2024-01-10T09:00:00Z", 5)
            .ChangeQuantity("S1", "2024-03-01T09:00:00Z", 6)
            .Reports("2024-03")
            .Rate();

        Assert.Equal(["proRata 2024-03-01..2025-01-09 1 x 264.00 = 227.21 global"], response.Lines("2024-03-16"));
    }

    [Fact]
    public void A_decrease_inside_the_window_is_refunded_to_the_term_end()
    {
        var response = Annual()
            .Purchase("S1", "2025-01-10T09:00:00Z", 5)
            .ChangeQuantity("S1", "2025-01-12T09:00:00Z", 4)
            .Reports("2025-01")
            .Rate();

        Assert.Equal(
            [
                "cycleFee 2025-01-10..2026-01-09 5 x 264.00 = 1320.00 global",
                "refund 2025-01-12..2026-01-09 1 x 264.00 = -262.55 global",
            ],
            response.Lines("2025-01-16"));
        Assert.Equal(1057.45m, response.Report("2025-01-16").Total);
    }

    [Fact]
    public void A_change_just_before_renewal_is_listed_before_the_new_terms_cycle_fee()
    {
        var response = Annual()
            .Purchase("S1", "2024-01-10T09:00:00Z", 5)
            .ChangeQuantity("S1", "2024-12-20T09:00:00Z", 6)
            .Reports("2025-01")
            .Rate();

        Assert.Equal(
            [
                "proRata 2024-12-20..2025-01-09 1 x 264.00 = 15.15 global",
                "cycleFee 2025-01-10..2026-01-09 6 x 264.00 = 1584.00 global",
            ],
            response.Lines("2025-01-16"));
    }

    [Fact]
    public void An_annual_term_that_expires_bills_nothing_more()
    {
        var response = A.Scenario().WithGlobalPrice(264.00m, term: "P1Y", frequency: "annual")
            .WithSubscription("S1", term: "P1Y", frequency: "annual", autoRenew: false)
            .Purchase("S1", "2025-01-10T09:00:00Z", 5)
            .Reports("2025-12", "2026-02")
            .Rate();

        Assert.All(response.Reports, report => Assert.Empty(report.Subscriptions));
    }
}
