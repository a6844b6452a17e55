using Skyport.Features.Billing.Rating;

namespace Skyport.Tests.Features.Billing;

/// <summary>R7 as the subscriptions feature will call it: refuse a change live, saying when the window closed.</summary>
public sealed class SeatWindowsTests
{
    private static readonly DateTimeOffset Purchase = DateTimeOffset.Parse("2025-03-01T09:00:00Z");
    private static readonly DateTimeOffset Increase = DateTimeOffset.Parse("2025-03-20T10:00:00Z");
    private static readonly SeatBatch[] TenOldFiveNew = [new(Purchase, 10), new(Increase, 5)];

    [Fact]
    public void Window_is_inclusive_of_168_hours_and_closed_one_tick_later()
    {
        SeatBatch[] batches = [new(Increase, 5)];
        var edge = Increase.AddHours(168);

        Assert.True(SeatWindows.CanReduce(batches, edge, 1).IsAllowed);
        var refused = SeatWindows.CanReduce(batches, edge.AddTicks(1), 1);
        Assert.False(refused.IsAllowed);
        Assert.Equal(DateTimeOffset.Parse("2025-03-27T10:00:00Z"), refused.WindowClosedAt);
        Assert.Contains("168 hours", refused.Reason);
        Assert.Contains("2025-03-27T10:00:00Z", refused.Reason);
    }

    [Theory]
    [InlineData(14, true)]
    [InlineData(10, true)]
    [InlineData(9, false)]
    [InlineData(1, false)]
    public void Newest_batches_are_removed_first(int newQuantity, bool allowed)
    {
        var at = Increase.AddHours(95);

        Assert.Equal(allowed, SeatWindows.CanReduce(TenOldFiveNew, at, newQuantity).IsAllowed);
    }

    [Fact]
    public void Refusal_names_the_window_of_the_oldest_batch_that_would_be_touched()
    {
        var refused = SeatWindows.CanReduce(TenOldFiveNew, Increase.AddHours(95), 9);

        Assert.Equal(Purchase.AddHours(168), refused.WindowClosedAt);
    }

    [Fact]
    public void Cancellation_needs_every_seat_inside_its_window()
    {
        Assert.False(SeatWindows.CanCancel(TenOldFiveNew, Increase.AddHours(1)).IsAllowed);
        Assert.True(SeatWindows.CanCancel([new(Purchase, 10), new(Purchase.AddHours(2), 5)], Purchase.AddHours(168)).IsAllowed);
        Assert.Contains("cancelled", SeatWindows.CanCancel(TenOldFiveNew, Increase).Reason);
    }

    [Fact]
    public void Reducing_keeps_the_oldest_seats()
    {
        var kept = SeatWindows.Reduce(TenOldFiveNew, 12);

        Assert.Equal([new SeatBatch(Purchase, 10), new SeatBatch(Increase, 2)], kept);
    }

    [Fact]
    public void Renewal_opens_one_window_for_every_seat_at_midnight_utc()
    {
        var renewed = SeatWindows.Renew(DateOnly.Parse("2025-04-02"), 12);

        var batch = Assert.Single(renewed);
        Assert.Equal(new SeatBatch(DateTimeOffset.Parse("2025-04-02T00:00:00Z"), 12), batch);
        Assert.True(SeatWindows.CanCancel(renewed, DateTimeOffset.Parse("2025-04-09T00:00:00Z")).IsAllowed);
        Assert.False(SeatWindows.CanCancel(renewed, DateTimeOffset.Parse("2025-04-09T00:00:00Z").AddTicks(1)).IsAllowed);
    }

    [Theory]
    [InlineData(SubscriptionStatus.Active, 10, 0, true)]
    [InlineData(SubscriptionStatus.Active, 10, 11, false)]
    [InlineData(SubscriptionStatus.Active, 9, 0, false)]
    [InlineData(SubscriptionStatus.Active, 0, 0, false)]
    [InlineData(SubscriptionStatus.Suspended, 10, 0, false)]
    [InlineData(SubscriptionStatus.Suspended, 20, 0, false)]
    [InlineData(SubscriptionStatus.Cancelled, 20, 0, false)]
    [InlineData(SubscriptionStatus.Expired, 20, 0, false)]
    [InlineData(SubscriptionStatus.Active, 20, 30, false)]
    public void Quantity_change_rules(SubscriptionStatus status, int newQuantity, int assigned, bool allowed)
    {
        var decision = SubscriptionRules.CanChangeQuantity(status, TenOldFiveNew, Increase.AddHours(1), newQuantity, assigned);

        Assert.Equal(allowed, decision.IsAllowed);
        Assert.Equal(allowed, decision.Reason is null);
    }

    [Theory]
    [InlineData(SubscriptionStatus.Active, 0, true)]
    [InlineData(SubscriptionStatus.Active, 1, false)]
    [InlineData(SubscriptionStatus.Suspended, 0, false)]
    [InlineData(SubscriptionStatus.Cancelled, 0, false)]
    public void Cancel_rules(SubscriptionStatus status, int assigned, bool allowed)
    {
        SeatBatch[] fresh = [new(Increase, 5)];

        Assert.Equal(allowed, SubscriptionRules.CanCancel(status, fresh, Increase.AddHours(1), assigned).IsAllowed);
    }

    [Theory]
    [InlineData(SubscriptionStatus.Active, true, true)]
    [InlineData(SubscriptionStatus.Suspended, true, false)]
    [InlineData(SubscriptionStatus.Suspended, false, true)]
    [InlineData(SubscriptionStatus.Expired, false, false)]
    public void Auto_renew_rules(SubscriptionStatus status, bool autoRenew, bool allowed)
    {
        Assert.Equal(allowed, SubscriptionRules.CanSetAutoRenew(status, autoRenew).IsAllowed);
    }
}
