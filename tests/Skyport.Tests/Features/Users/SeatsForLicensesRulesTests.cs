using Skyport.Features.Billing.Rating;
using Skyport.Features.Users;

namespace Skyport.Tests.Features.Users;

public sealed class SeatsForLicensesRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(300, 200, 0)] // both batches outside their window
    [InlineData(300, 2, 2)]   // only the newest batch (2 seats) is inside
    [InlineData(100, 2, 5)]   // both inside
    [InlineData(168, 168, 5)] // the 168th hour is still inside
    public void Only_the_newest_batches_still_inside_their_window_can_go(int olderHoursAgo, int newerHoursAgo, int removable)
    {
        var batches = new[] { new SeatBatch(Now.AddHours(-olderHoursAgo), 3), new SeatBatch(Now.AddHours(-newerHoursAgo), 2) };
        Assert.Equal(removable, SeatsForLicensesRules.RemovableNow(batches, Now));
    }

    [Fact]
    public void A_removal_takes_the_freed_seats_the_window_allows_and_never_the_last_seat()
    {
        var holders = new[] { Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() };
        Assert.Equal(2, SeatsForLicensesRules.PlanRemoval(Guid.NewGuid(), 5, 2, holders)!.Seats);
        Assert.Equal(2, SeatsForLicensesRules.PlanRemoval(Guid.NewGuid(), 3, 5, holders)!.Seats);
        Assert.Null(SeatsForLicensesRules.PlanRemoval(Guid.NewGuid(), 5, 0, holders));
    }

    [Fact]
    public void The_target_counts_only_users_whose_license_went_and_is_the_same_when_worked_out_again()
    {
        var holders = new[] { Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() };
        var removal = SeatsForLicensesRules.PlanRemoval(Guid.NewGuid(), 6, 3, holders)!;
        Assert.Equal(4, SeatsForLicensesRules.TargetQuantity(removal, [holders[0], holders[2]]));
        Assert.Equal(4, SeatsForLicensesRules.TargetQuantity(removal, [holders[2], holders[0], Guid.NewGuid()]));
        Assert.Equal(3, SeatsForLicensesRules.TargetQuantity(removal, holders));
    }

    [Fact]
    public void Adding_seats_costs_what_removing_them_the_same_day_refunds()
    {
        var day = new DateOnly(2026, 3, 10);
        var cost = SeatsForLicensesRules.AddedCost(2, 6m, day, BillingFrequency.Monthly, 15, day, day.AddMonths(1).AddDays(-1));
        Assert.True(cost > 0);
        Assert.Equal(-cost, SeatsForLicensesRules.Refund(2, 6m, day, BillingFrequency.Monthly, 15, day, day.AddMonths(1).AddDays(-1)));
        Assert.Equal(-ChangeQuotes.Refund(2, 6m, day, BillingFrequency.Monthly, 15, day.AddMonths(1).AddDays(-1), 31), cost);
    }
}
