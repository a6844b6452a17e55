using Skyport.Features.Billing.Rating;

namespace Skyport.Tests.Features.Billing;

/// <summary>R13: a purchase's first term may end on a month end or another active subscription's term end.</summary>
public sealed class CoterminousPurchaseTests
{
    [Fact]
    public void Later_annual_terms_are_full_terms_anchored_on_the_day_after_the_custom_end()
    {
        var response = A.Scenario().WithCycleEndDay(31).WithGlobalPrice(120.00m, term: "P1Y", frequency: "annual")
            .WithSubscription("S1", term: "P1Y", frequency: "annual")
            .Purchase("S1", "2025-05-10T09:00:00Z", 2, customTermEndDate: "2025-12-31")
            .ChangeQuantity("S1", "2025-06-02T09:00:00Z", 3)
            .Reports("2025-06", "2026-01")
            .Rate();

        // R14.2: the change is prorated over the natural term (365 d): 1 x 120 x 213 / 365 = 70.03.
        Assert.Equal(["proRata 2025-06-02..2025-12-31 1 x 120.00 = 70.03 global"], response.Lines("2025-07-01"));
        Assert.Equal(["cycleFee 2026-01-01..2026-12-31 3 x 120.00 = 360.00 global"], response.Lines("2026-02-01"));
    }

    [Theory]
    [InlineData("2025-05-10", "after the purchase date")]
    [InlineData("2026-05-31", "natural term end")]
    [InlineData("2025-06-15", "neither the last day of a month")]
    public void Other_dates_are_rejected(string customEnd, string reason)
    {
        var response = A.Scenario().WithGlobalPrice(10.00m, term: "P1Y").WithSubscription("S1", term: "P1Y")
            .Purchase("S1", "2025-05-10T09:00:00Z", 2, customTermEndDate: customEnd)
            .Reports("2025-05")
            .Rate();

        Assert.Contains(reason, Assert.Single(response.Rejected).Reason);
        Assert.Empty(response.Report("2025-05-16").Subscriptions);
    }

    [Fact]
    public void A_suspended_subscriptions_term_end_does_not_count()
    {
        var response = A.Scenario().WithGlobalPrice(10.00m, term: "P1Y").WithSubscription("S1", term: "P1Y").WithSubscription("S2", term: "P1Y")
            .Purchase("S1", "2025-01-20T09:00:00Z", 1)
            .Suspend("S1", "2025-05-01T09:00:00Z")
            .Purchase("S2", "2025-05-10T09:00:00Z", 1, customTermEndDate: "2026-01-19")
            .Reports("2025-05")
            .Rate();

        Assert.Equal([2], response.RejectedIndices());
    }

    [Fact]
    public void End_dates_list_month_ends_and_active_term_ends_up_to_the_natural_end()
    {
        var dates = CoterminousPurchase.EndDates(new DateOnly(2025, 5, 10), TermDuration.P1M, [new DateOnly(2025, 5, 20), new DateOnly(2025, 7, 1)]);

        Assert.Equal([new DateOnly(2025, 5, 20), new DateOnly(2025, 5, 31)], dates);
    }
}
