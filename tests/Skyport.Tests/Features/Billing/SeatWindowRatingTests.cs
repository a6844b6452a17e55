namespace Skyport.Tests.Features.Billing;

/// <summary>R7 inside rating: refused decreases and cancellations are listed and change nothing.</summary>
public sealed class SeatWindowRatingTests
{
    private static ScenarioBuilder TenEuroMonthly() =>
        A.Scenario().WithGlobalPrice(10.00m).WithSubscription("S1");

    [Theory]
    [InlineData("2025-03-08T09:00:00Z", true)]
    [InlineData("2025-03-08T09:00:00.0000001Z", false)]
    [InlineData("2025-03-08T09:00:01Z", false)]
    public void A_decrease_is_accepted_up_to_168_hours_after_the_purchase_inclusive(string at, bool accepted)
    {
        var response = TenEuroMonthly()
            .Purchase("S1", "2025-03-01T09:00:00Z", 10)
            .ChangeQuantity("S1", at, 8)
            .Reports("2025-03", "2025-04")
            .Rate();

        if (accepted)
        {
            Assert.Empty(response.Rejected);
            Assert.Equal(
                [
                    "proRata 2025-03-01..2025-03-15 10 x 10.00 = 53.57 global",
                    "refund 2025-03-08..2025-03-15 2 x 10.00 = -5.71 global",
                ],
                response.Lines("2025-03-16"));
            Assert.Equal(["cycleFee 2025-03-16..2025-04-15 8 x 10.00 = 80.00 global"], response.Lines("2025-04-16"));
        }
        else
        {
            var rejected = Assert.Single(response.Rejected);
            Assert.Equal(1, rejected.EventIndex);
            Assert.StartsWith("Seats can only be removed within 168 hours of being added", rejected.Reason);
            Assert.Equal(["proRata 2025-03-01..2025-03-15 10 x 10.00 = 53.57 global"], response.Lines("2025-03-16"));
            Assert.Equal(["cycleFee 2025-03-16..2025-04-15 10 x 10.00 = 100.00 global"], response.Lines("2025-04-16"));
        }
    }

    [Fact]
    public void The_newest_seats_are_removed_first_and_older_seats_stay_locked()
    {
        var response = TenEuroMonthly()
            .Purchase("S1", "2025-01-05T09:00:00Z", 10)
            .ChangeQuantity("S1", "2025-03-20T10:00:00Z", 15)
            .ChangeQuantity("S1", "2025-03-24T09:00:00Z", 12)
            .ChangeQuantity("S1", "2025-03-25T09:00:00Z", 9)
            .Reports("2025-04", "2025-05")
            .Rate();

        Assert.Equal([3], response.RejectedIndices());
        Assert.Equal(["cycleFee 2025-04-16..2025-05-15 12 x 10.00 = 120.00 global"], response.Lines("2025-05-16"));
    }

    [Theory]
    [InlineData("2025-04-09T00:00:00Z", true)]
    [InlineData("2025-04-09T00:00:01Z", false)]
    public void A_renewal_opens_a_new_window_from_midnight_utc_of_the_renewal_date(string at, bool accepted)
    {
        var response = TenEuroMonthly()
            .Purchase("S1", "2025-03-02T15:00:00Z", 10)
            .Cancel("S1", at)
            .Reports("2025-04")
            .Rate();

        if (accepted)
        {
            Assert.Empty(response.Rejected);
            Assert.Equal(
                [
                    "cycleFee 2025-03-16..2025-04-15 10 x 10.00 = 100.00 global",
                    "refund 2025-04-09..2025-04-15 10 x 10.00 = -22.58 global",
                ],
                response.Lines("2025-04-16"));
        }
        else
        {
            Assert.Equal([1], response.RejectedIndices());
            Assert.StartsWith("A subscription can only be cancelled within 168 hours", response.Rejected[0].Reason);
            Assert.Equal(["cycleFee 2025-03-16..2025-04-15 10 x 10.00 = 100.00 global"], response.Lines("2025-04-16"));
        }
    }

    [Fact]
    public void A_cancellation_needs_every_seat_inside_its_window()
    {
        var response = TenEuroMonthly()
            .Purchase("S1", "2025-01-05T09:00:00Z", 10)
            .ChangeQuantity("S1", "2025-03-20T10:00:00Z", 15)
            .Cancel("S1", "2025-03-21T10:00:00Z")
            .Reports("2025-04")
            .Rate();

        Assert.Equal([2], response.RejectedIndices());
        Assert.Equal(
            [
                "cycleFee 2025-03-16..2025-04-15 10 x 10.00 = 100.00 global",
                "proRata 2025-03-20..2025-04-15 5 x 10.00 = 43.55 global",
            ],
            response.Lines("2025-04-16"));
    }

    [Fact]
    public void The_quantity_cannot_go_below_the_licenses_assigned_to_users()
    {
        var response = TenEuroMonthly()
            .Purchase("S1", "2025-03-01T09:00:00Z", 10)
            .ChangeQuantity("S1", "2025-03-02T09:00:00Z", 5, assignedLicenses: 7)
            .Cancel("S1", "2025-03-02T10:00:00Z", assignedLicenses: 7)
            .ChangeQuantity("S1", "2025-03-02T11:00:00Z", 7, assignedLicenses: 7)
            .Reports("2025-03")
            .Rate();

        Assert.Equal([1, 2], response.RejectedIndices());
        Assert.Contains("7 licenses assigned to users", response.Rejected[0].Reason);
        Assert.Contains("assigned to users", response.Rejected[1].Reason);
        Assert.Equal(
            [
                "proRata 2025-03-01..2025-03-15 10 x 10.00 = 53.57 global",
                "refund 2025-03-02..2025-03-15 3 x 10.00 = -15.00 global",
            ],
            response.Lines("2025-03-16"));
    }
}
