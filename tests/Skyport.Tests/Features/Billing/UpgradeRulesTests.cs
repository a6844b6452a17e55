namespace Skyport.Tests.Features.Billing;

/// <summary>R11, R14.3: upgrades move seats to a co-termed target that keeps their 168-hour windows.</summary>
public sealed class UpgradeRulesTests
{
    private static ScenarioBuilder TwoOffers() => A.Scenario().WithCycleEndDay(31)
        .WithGlobalPrice(10.00m).WithGlobalPrice(20.00m, offer: "M365-STD")
        .WithSubscription("S1").WithSubscription("S2", offer: "M365-STD");

    [Fact]
    public void A_partial_upgrade_moves_the_newest_seats_with_their_open_window()
    {
        // 5 seats on 01-10 (window closed by 02-03), 2 more on 02-01; 2 moved on 02-03 are the 02-01 ones, still removable.
        var response = TwoOffers()
            .Purchase("S1", "2025-01-10T09:00:00Z", 5)
            .ChangeQuantity("S1", "2025-02-01T09:00:00Z", 7)
            .Upgrade("S1", "2025-02-03T09:00:00Z", "S2", 2)
            .ChangeQuantity("S2", "2025-02-05T09:00:00Z", 1)
            .ChangeQuantity("S1", "2025-02-05T09:00:00Z", 4)
            .Reports("2025-02")
            .Rate();

        Assert.Equal([4], response.RejectedIndices());
        Assert.Equal(
            [
                "cycleFee 2025-02-01..2025-02-28 7 x 10.00 = 70.00 global",
                "refund 2025-02-03..2025-02-28 2 x 10.00 = -18.57 global",
            ],
            response.Lines("2025-03-01", "S1"));
        Assert.Equal(
            [
                "proRata 2025-02-03..2025-02-28 2 x 20.00 = 37.14 global",
                "refund 2025-02-05..2025-02-28 1 x 20.00 = -17.14 global",
            ],
            response.Lines("2025-03-01", "S2"));
    }

    [Fact]
    public void The_target_renews_with_its_source_term_end()
    {
        // S1's P1M terms run from the 10th; S2 bought on 02-20 ends its first term on 03-09 with S1 and renews on 03-10.
        var response = TwoOffers().WithGlobalPrice(25.00m, from: "2025-03-01", offer: "M365-STD")
            .Purchase("S1", "2025-01-10T09:00:00Z", 3)
            .Upgrade("S1", "2025-02-20T09:00:00Z", "S2", 1)
            .Reports("2025-03")
            .Rate();

        Assert.Equal(
            [
                "proRata 2025-03-01..2025-03-09 1 x 20.00 = 5.81 global",
                "proRata 2025-03-10..2025-03-31 1 x 25.00 = 17.74 global",
            ],
            response.Lines("2025-04-01", "S2"));
    }

    [Theory]
    [InlineData("S2", 4, "cannot move 4 seats")]
    [InlineData("S3", 1, "already on")]
    public void Bad_upgrades_are_rejected_and_change_nothing(string target, int seats, string reason)
    {
        var response = TwoOffers().WithSubscription("S3")
            .Purchase("S1", "2025-01-10T09:00:00Z", 3)
            .Upgrade("S1", "2025-02-20T09:00:00Z", target, seats)
            .Reports("2025-02")
            .Rate();

        Assert.Contains(reason, Assert.Single(response.Rejected).Reason);
        Assert.Equal(["cycleFee 2025-02-01..2025-02-28 3 x 10.00 = 30.00 global"], response.Lines("2025-03-01", "S1"));
        Assert.Single(response.Report("2025-03-01").Subscriptions);
    }

    [Fact]
    public void A_suspended_subscription_cannot_be_upgraded()
    {
        var response = TwoOffers()
            .Purchase("S1", "2025-01-10T09:00:00Z", 3)
            .Suspend("S1", "2025-02-19T09:00:00Z")
            .Upgrade("S1", "2025-02-20T09:00:00Z", "S2", 1)
            .Reports("2025-02")
            .Rate();

        Assert.Contains("suspended", Assert.Single(response.Rejected).Reason);
    }
}
