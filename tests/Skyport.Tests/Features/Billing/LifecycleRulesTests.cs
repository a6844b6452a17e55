namespace Skyport.Tests.Features.Billing;

/// <summary>R8: suspension keeps billing and turns auto-renew off; renewal and expiry; ended subscriptions refuse events.</summary>
public sealed class LifecycleRulesTests
{
    [Fact]
    public void Suspension_keeps_billing_and_refuses_changes_until_activation()
    {
        var response = A.Scenario().WithGlobalPrice(20.00m, term: "P1Y").WithSubscription("S1", term: "P1Y")
            .Purchase("S1", "2025-01-05T09:00:00Z", 10)
            .Suspend("S1", "2025-03-20T00:00:00Z")
            .ChangeQuantity("S1", "2025-03-21T00:00:00Z", 12)
            .Cancel("S1", "2025-03-22T00:00:00Z")
            .SetAutoRenew("S1", "2025-03-23T00:00:00Z", true)
            .Activate("S1", "2025-04-05T00:00:00Z")
            .ChangeQuantity("S1", "2025-04-06T09:00:00Z", 12)
            .Reports("2025-04", "2025-05")
            .Rate();

        Assert.Equal([2, 3, 4], response.RejectedIndices());
        Assert.All(response.Rejected, rejected => Assert.Contains("suspended", rejected.Reason));
        Assert.Equal(
            [
                "cycleFee 2025-03-16..2025-04-15 10 x 20.00 = 200.00 global",
                "proRata 2025-04-06..2025-04-15 2 x 20.00 = 12.90 global",
            ],
            response.Lines("2025-04-16"));
        Assert.Equal(["cycleFee 2025-04-16..2025-05-15 12 x 20.00 = 240.00 global"], response.Lines("2025-05-16"));
    }

    [Fact]
    public void Suspension_turns_auto_renew_off_so_the_term_expires_even_after_activation()
    {
        var response = A.Scenario().WithCycleEndDay(31).WithGlobalPrice(10.00m).WithSubscription("S1")
            .Purchase("S1", "2025-01-10T09:00:00Z", 3)
            .Suspend("S1", "2025-02-20T00:00:00Z")
            .Activate("S1", "2025-02-25T00:00:00Z")
            .ChangeQuantity("S1", "2025-03-15T09:00:00Z", 4)
            .Reports("2025-02", "2025-04")
            .Rate();

        Assert.Equal(["cycleFee 2025-02-01..2025-02-28 3 x 10.00 = 30.00 global"], response.Lines("2025-03-01"));
        Assert.Equal(["proRata 2025-03-01..2025-03-09 3 x 10.00 = 8.71 global"], response.Lines("2025-04-01"));
        Assert.Empty(response.Report("2025-05-01").Subscriptions);
        var rejected = Assert.Single(response.Rejected);
        Assert.Equal(3, rejected.EventIndex);
        Assert.Contains("expired on 2025-03-09", rejected.Reason);
    }

    [Fact]
    public void Expiry_mid_cycle_bills_up_to_the_term_end_then_nothing()
    {
        var response = A.Scenario().WithGlobalPrice(20.00m, term: "P1Y").WithSubscription("S1", term: "P1Y", autoRenew: false)
            .Purchase("S1", "2024-05-02T09:00:00Z", 10)
            .Reports("2025-04", "2025-06")
            .Rate();

        Assert.Equal(["cycleFee 2025-03-16..2025-04-15 10 x 20.00 = 200.00 global"], response.Lines("2025-04-16"));
        Assert.Equal(["proRata 2025-04-16..2025-05-01 10 x 20.00 = 106.67 global"], response.Lines("2025-05-16"));
        Assert.Empty(response.Report("2025-06-16").Subscriptions);
    }

    [Fact]
    public void Expiry_on_the_cycles_last_day_is_a_cycle_fee()
    {
        var response = A.Scenario().WithCycleEndDay(31).WithGlobalPrice(10.00m).WithSubscription("S1", autoRenew: false)
            .Purchase("S1", "2025-01-01T09:00:00Z", 2)
            .Reports("2025-01", "2025-02")
            .Rate();

        Assert.Equal(["cycleFee 2025-01-01..2025-01-31 2 x 10.00 = 20.00 global"], response.Lines("2025-02-01"));
        Assert.Empty(response.Report("2025-03-01").Subscriptions);
    }

    [Fact]
    public void Auto_renew_turned_back_on_before_the_term_end_renews()
    {
        var response = A.Scenario().WithCycleEndDay(31).WithGlobalPrice(10.00m).WithSubscription("S1")
            .Purchase("S1", "2025-01-10T09:00:00Z", 3)
            .SetAutoRenew("S1", "2025-01-20T00:00:00Z", false)
            .SetAutoRenew("S1", "2025-02-01T00:00:00Z", true)
            .Reports("2025-02", "2025-03")
            .Rate();

        Assert.Empty(response.Rejected);
        Assert.Equal(["cycleFee 2025-02-01..2025-02-28 3 x 10.00 = 30.00 global"], response.Lines("2025-03-01"));
        Assert.Equal(["cycleFee 2025-03-01..2025-03-31 3 x 10.00 = 30.00 global"], response.Lines("2025-04-01"));
    }

    [Fact]
    public void Every_event_on_a_cancelled_subscription_is_rejected()
    {
        var response = A.Scenario().WithGlobalPrice(10.00m).WithSubscription("S1")
            .Purchase("S1", "2025-03-01T09:00:00Z", 5)
            .Cancel("S1", "2025-03-02T09:00:00Z")
            .ChangeQuantity("S1", "2025-03-03T09:00:00Z", 6)
            .Suspend("S1", "2025-03-04T09:00:00Z")
            .Activate("S1", "2025-03-04T10:00:00Z")
            .SetAutoRenew("S1", "2025-03-05T09:00:00Z", true)
            .Purchase("S1", "2025-03-06T09:00:00Z", 5)
            .Reports("2025-03", "2025-04")
            .Rate();

        Assert.Equal([2, 3, 4, 5, 6], response.RejectedIndices());
        Assert.All(response.Rejected.Take(4), rejected => Assert.Contains("cancelled on 2025-03-02", rejected.Reason));
        Assert.Equal(
            [
                "proRata 2025-03-01..2025-03-15 5 x 10.00 = 26.79 global",
                "refund 2025-03-02..2025-03-15 5 x 10.00 = -25.00 global",
            ],
            response.Lines("2025-03-16"));
        Assert.Empty(response.Report("2025-04-16").Subscriptions);
    }

    [Fact]
    public void Events_before_the_purchase_are_rejected()
    {
        var response = A.Scenario().WithGlobalPrice(10.00m).WithSubscription("S1")
            .ChangeQuantity("S1", "2025-03-01T09:00:00Z", 6)
            .Purchase("S1", "2025-03-02T09:00:00Z", 5)
            .Reports("2025-03")
            .Rate();

        var rejected = Assert.Single(response.Rejected);
        Assert.Equal(0, rejected.EventIndex);
        Assert.Contains("not been purchased", rejected.Reason);
    }

    [Fact]
    public void Events_are_applied_in_timestamp_order_whatever_their_order_in_the_request()
    {
        var response = A.Scenario().WithGlobalPrice(10.00m).WithSubscription("S1")
            .ChangeQuantity("S1", "2025-03-05T09:00:00Z", 6)
            .Purchase("S1", "2025-03-01T09:00:00Z", 5)
            .Reports("2025-03")
            .Rate();

        Assert.Empty(response.Rejected);
        Assert.Equal(
            [
                "proRata 2025-03-01..2025-03-15 5 x 10.00 = 26.79 global",
                "proRata 2025-03-05..2025-03-15 1 x 10.00 = 3.93 global",
            ],
            response.Lines("2025-03-16"));
    }
}
