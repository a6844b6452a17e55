namespace Skyport.Tests.Features.Billing;

/// <summary>R10, R14.5: changes scheduled for the next term take effect at the renewal and are deleted by immediate changes.</summary>
public sealed class ScheduledRenewalRulesTests
{
    [Fact]
    public void A_schedule_needs_auto_renew_on()
    {
        var response = A.Scenario().WithGlobalPrice(10.00m).WithSubscription("S1", autoRenew: false)
            .Purchase("S1", "2025-01-10T09:00:00Z", 5)
            .ScheduleRenewal("S1", "2025-01-20T09:00:00Z", quantity: 3)
            .Reports("2025-02")
            .Rate();

        var rejected = Assert.Single(response.Rejected);
        Assert.Equal(1, rejected.EventIndex);
        Assert.Contains("auto-renew", rejected.Reason);
    }

    [Fact]
    public void Suspension_deletes_the_schedule_so_the_renewal_keeps_the_quantity()
    {
        var response = A.Scenario().WithCycleEndDay(31).WithGlobalPrice(10.00m).WithSubscription("S1")
            .Purchase("S1", "2025-01-10T09:00:00Z", 5)
            .ScheduleRenewal("S1", "2025-01-20T09:00:00Z", quantity: 3)
            .Suspend("S1", "2025-01-25T09:00:00Z")
            .Activate("S1", "2025-01-26T09:00:00Z")
            .SetAutoRenew("S1", "2025-01-27T09:00:00Z", true)
            .Reports("2025-02")
            .Rate();

        Assert.Empty(response.Rejected);
        Assert.Equal(["cycleFee 2025-02-01..2025-02-28 5 x 10.00 = 50.00 global"], response.Lines("2025-03-01"));
    }

    [Fact]
    public void A_schedule_equal_to_the_current_values_is_ignored_and_clear_schedule_removes_one()
    {
        var response = A.Scenario().WithCycleEndDay(31).WithGlobalPrice(10.00m).WithSubscription("S1").WithSubscription("S2")
            .Purchase("S1", "2025-01-10T09:00:00Z", 5)
            .Purchase("S2", "2025-01-10T09:00:00Z", 5)
            .ScheduleRenewal("S1", "2025-01-20T09:00:00Z", quantity: 5)
            .ScheduleRenewal("S2", "2025-01-20T09:00:00Z", quantity: 2)
            .ClearSchedule("S2", "2025-01-21T09:00:00Z")
            .Reports("2025-02")
            .Rate();

        Assert.Equal(["cycleFee 2025-02-01..2025-02-28 5 x 10.00 = 50.00 global"], response.Lines("2025-03-01", "S1"));
        Assert.Equal(["cycleFee 2025-02-01..2025-02-28 5 x 10.00 = 50.00 global"], response.Lines("2025-03-01", "S2"));
    }

    [Fact]
    public void A_term_and_frequency_change_starts_an_annual_term_anchored_on_the_renewal()
    {
        // P1M from 2025-01-10 renews on 2025-02-10 as P1Y billed annually: one cycleFee for 2025-02-10..2026-02-09.
        var response = A.Scenario().WithCycleEndDay(31).WithGlobalPrice(10.00m).WithGlobalPrice(100.00m, term: "P1Y", frequency: "annual")
            .WithSubscription("S1")
            .Purchase("S1", "2025-01-10T09:00:00Z", 2)
            .ScheduleRenewal("S1", "2025-01-20T09:00:00Z", term: "P1Y", frequency: "annual")
            .Reports("2025-02", "2025-03")
            .Rate();

        Assert.Equal(
            [
                "proRata 2025-02-01..2025-02-09 2 x 10.00 = 6.43 global",
                "cycleFee 2025-02-10..2026-02-09 2 x 100.00 = 200.00 global",
            ],
            response.Lines("2025-03-01"));
        Assert.Empty(response.Report("2025-04-01").Subscriptions);
    }

    [Fact]
    public void Annual_billing_on_a_monthly_term_is_a_bad_field()
    {
        var errors = A.Scenario().WithGlobalPrice(10.00m).WithGlobalPrice(100.00m, term: "P1Y", frequency: "annual")
            .WithSubscription("S1", term: "P1Y", frequency: "annual")
            .Purchase("S1", "2025-01-10T09:00:00Z", 2)
            .ScheduleRenewal("S1", "2025-01-20T09:00:00Z", term: "P1M")
            .Reports("2025-02")
            .Errors();

        Assert.Contains("P1Y", Assert.Single(errors["events[1].billingFrequency"]));
    }
}
