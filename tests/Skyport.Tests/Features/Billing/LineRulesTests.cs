using Skyport.Features.Billing.Rating;

namespace Skyport.Tests.Features.Billing;

/// <summary>R2 (UTC dates), R3 (per-line rounding) and R4 (line types, one line per event as a delta).</summary>
public sealed class LineRulesTests
{
    private static ScenarioBuilder TenEuroMonthly(int endDay = 15) =>
        A.Scenario().WithCycleEndDay(endDay).WithGlobalPrice(10.00m).WithSubscription("S1");

    [Fact]
    public void An_event_takes_effect_on_its_utc_date()
    {
        // 01:00 at +02:00 on April 1st is still March 31st in UTC.
        var response = TenEuroMonthly(endDay: 31)
            .Purchase("S1", "2025-04-01T01:00:00+02:00", 3)
            .Reports("2025-03", "2025-04")
            .Rate();

        Assert.Equal(["proRata 2025-03-31..2025-03-31 3 x 10.00 = 0.97 global"], response.Lines("2025-04-01"));
        Assert.Equal(["cycleFee 2025-04-01..2025-04-30 3 x 10.00 = 30.00 global"], response.Lines("2025-05-01"));
    }

    [Fact]
    public void Two_changes_on_one_day_give_two_delta_lines()
    {
        var response = TenEuroMonthly()
            .Purchase("S1", "2025-01-05T09:00:00Z", 10)
            .ChangeQuantity("S1", "2025-02-01T09:00:00Z", 12)
            .ChangeQuantity("S1", "2025-02-01T10:00:00Z", 15)
            .Reports("2025-02")
            .Rate();

        Assert.Equal(
            [
                "cycleFee 2025-01-16..2025-02-15 10 x 10.00 = 100.00 global",
                "proRata 2025-02-01..2025-02-15 2 x 10.00 = 9.68 global",
                "proRata 2025-02-01..2025-02-15 3 x 10.00 = 14.52 global",
            ],
            response.Lines("2025-02-16"));
        Assert.Equal(124.20m, response.Report("2025-02-16").Total);
    }

    [Theory]
    [InlineData(7, "cycleFee 2025-03-16..2025-04-15 7 x 10.00 = 70.00 global")]
    [InlineData(12, "cycleFee 2025-03-16..2025-04-15 12 x 10.00 = 120.00 global")]
    public void A_change_on_the_cycles_first_day_folds_into_the_cycle_fee(int newQuantity, string line)
    {
        var response = TenEuroMonthly()
            .Purchase("S1", "2025-03-12T10:00:00Z", 10)
            .ChangeQuantity("S1", "2025-03-16T08:00:00Z", newQuantity)
            .Reports("2025-03", "2025-04")
            .Rate();

        Assert.Equal(["proRata 2025-03-12..2025-03-15 10 x 10.00 = 14.29 global"], response.Lines("2025-03-16"));
        Assert.Equal([line], response.Lines("2025-04-16"));
        Assert.Empty(response.Rejected);
    }

    [Fact]
    public void A_cancellation_refunds_from_its_date_to_the_cycle_end()
    {
        var response = TenEuroMonthly()
            .Purchase("S1", "2025-03-14T10:00:00Z", 4)
            .Cancel("S1", "2025-03-18T10:00:00Z")
            .Reports("2025-03", "2025-05")
            .Rate();

        Assert.Equal(["proRata 2025-03-14..2025-03-15 4 x 10.00 = 2.86 global"], response.Lines("2025-03-16"));
        Assert.Equal(
            [
                "cycleFee 2025-03-16..2025-04-15 4 x 10.00 = 40.00 global",
                "refund 2025-03-18..2025-04-15 4 x 10.00 = -37.42 global",
            ],
            response.Lines("2025-04-16"));
        Assert.Equal(2.58m, response.Report("2025-04-16").Total);
        Assert.Empty(response.Report("2025-05-16").Subscriptions);
        Assert.Equal(0m, response.Report("2025-05-16").Total);
    }

    [Fact]
    public void A_refund_tie_rounds_away_from_zero_and_totals_sum_rounded_lines()
    {
        var response = A.Scenario().WithCycleEndDay(31).WithGlobalPrice(10.05m).WithSubscription("S1")
            .Purchase("S1", "2025-04-10T09:00:00Z", 5)
            .ChangeQuantity("S1", "2025-04-16T09:00:00Z", 4)
            .Reports("2025-04")
            .Rate();

        Assert.Equal(
            [
                "proRata 2025-04-10..2025-04-30 5 x 10.05 = 35.18 global",
                "refund 2025-04-16..2025-04-30 1 x 10.05 = -5.03 global",
            ],
            response.Lines("2025-05-01"));
        Assert.Equal(30.15m, response.Report("2025-05-01").Subscriptions[0].Total);
        Assert.Equal(30.15m, response.Report("2025-05-01").Total);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(28)]
    [InlineData(29)]
    [InlineData(30)]
    [InlineData(31)]
    public void An_unchanged_subscription_pays_one_whole_cycle_fee_every_cycle_whatever_the_end_day(int endDay)
    {
        // Bought on a leap year's January 31st: renewals land on clamped days that rarely match cycle boundaries.
        var firstFullMonth = BillingCycle.Containing(new DateOnly(2024, 1, 31), endDay).Month.AddMonths(1);

        var response = A.Scenario().WithCycleEndDay(endDay).WithGlobalPrice(10.00m).WithSubscription("S1")
            .Purchase("S1", "2024-01-31T09:00:00Z", 2)
            .Reports(firstFullMonth.ToString(), "2025-03")
            .Rate();

        Assert.True(response.Reports.Count >= 13);
        Assert.All(response.Reports, report =>
            Assert.Equal(
                [Preview.Describe(new(
                    "cycleFee", report.PeriodStart, report.PeriodEnd, 2, 10.00m, 20.00m, "global"))],
                report.Lines("S1")));
    }

    [Fact]
    public void Reports_run_from_the_first_month_to_the_last_one_per_month_even_when_empty()
    {
        var response = TenEuroMonthly().Reports("2024-11", "2025-02").Rate();

        Assert.Equal(
            ["2024-11-16", "2024-12-16", "2025-01-16", "2025-02-16"],
            response.Reports.Select(r => r.BillingDate.ToString("yyyy-MM-dd")));
        Assert.All(response.Reports, report =>
        {
            Assert.Empty(report.Subscriptions);
            Assert.Equal(0m, report.Total);
            Assert.Equal("EUR", report.Currency);
        });
    }
}
