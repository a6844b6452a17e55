using Skyport.Features.Billing.Rating;

namespace Skyport.Tests.Features.Billing;

/// <summary>R12, R14.4, R14.6: renew, extended service term or expire at term end.</summary>
public sealed class ExtendedServiceTermTests
{
    [Fact]
    public void A_subscription_bought_before_april_2025_expires_instead_of_extending()
    {
        var response = A.Scenario().WithCycleEndDay(31).WithGlobalPrice(6.00m, term: "P1Y").WithSubscription("S1", term: "P1Y", autoRenew: false)
            .Purchase("S1", "2025-05-20T09:00:00Z", 1)
            .Reports("2026-06")
            .Rate();
        // No P1M monthly price: 6.00 x 1.23 = 7.38.
        Assert.Equal(["cycleFee 2026-06-01..2026-06-30 1 x 7.38 = 7.38 global extended"], response.Lines("2026-07-01"));

        var older = A.Scenario().WithCycleEndDay(31).WithGlobalPrice(6.00m, term: "P1Y").WithSubscription("S1", term: "P1Y", autoRenew: false)
            .Purchase("S1", "2025-03-31T09:00:00Z", 1)
            .ChangeQuantity("S1", "2026-04-01T09:00:00Z", 2)
            .Reports("2026-04")
            .Rate();
        Assert.Contains("expired on 2026-03-30", Assert.Single(older.Rejected).Reason);
    }

    [Fact]
    public void The_fallback_uses_the_customer_price_list_first()
    {
        var response = A.Scenario().WithCycleEndDay(31)
            .WithGlobalPrice(6.00m, term: "P1Y").WithGlobalPrice(8.00m).WithCustomerPrice(7.00m)
            .WithSubscription("S1", term: "P1Y", autoRenew: false)
            .Purchase("S1", "2025-06-01T09:00:00Z", 2)
            .Reports("2026-06")
            .Rate();

        // 7.00 x 1.03 = 7.21, from the customer list.
        Assert.Equal(["cycleFee 2026-06-01..2026-06-30 2 x 7.21 = 14.42 customer extended"], response.Lines("2026-07-01"));
    }

    [Fact]
    public void Turning_auto_renew_on_before_the_term_end_restores_renew_and_cancel_at_term_end_expires()
    {
        var response = A.Scenario().WithCycleEndDay(31).WithGlobalPrice(10.00m)
            .WithSubscription("S1", autoRenew: false).WithSubscription("S2")
            .Purchase("S1", "2026-05-10T09:00:00Z", 1)
            .Purchase("S2", "2026-05-10T09:00:00Z", 1)
            .SetAutoRenew("S1", "2026-05-20T09:00:00Z", true)
            .CancelAtTermEnd("S2", "2026-05-20T09:00:00Z")
            .Reports("2026-06")
            .Rate();

        Assert.Equal(["cycleFee 2026-06-01..2026-06-30 1 x 10.00 = 10.00 global"], response.Lines("2026-07-01", "S1"));
        Assert.Equal(["proRata 2026-06-01..2026-06-09 1 x 10.00 = 3.00 global"], response.Lines("2026-07-01", "S2"));
    }

    [Theory]
    [InlineData(7.20, null, 7.42)]
    [InlineData(null, 610.00, 62.53)]
    [InlineData(null, null, 12.30)]
    public void Unit_price_is_the_monthly_plan_plus_3_percent_or_the_ending_price_plus_23_percent(
        double? monthlyPlan, double? annualEnding, double expected)
    {
        var quote = ExtendedServiceTerm.UnitPrice(
            monthlyPlan is { } m ? new PriceQuote((decimal)m, PriceSource.Global) : null,
            annualEnding is { } a ? (decimal)a : 10.00m,
            PriceSource.Customer,
            annualEnding is null ? BillingFrequency.Monthly : BillingFrequency.Annual);

        Assert.Equal((decimal)expected, quote.UnitPrice);
    }

    [Theory]
    [InlineData(true, false, SubscriptionStatus.Active, EndOfTermAction.Renew)]
    [InlineData(false, false, SubscriptionStatus.Active, EndOfTermAction.Extend)]
    [InlineData(false, true, SubscriptionStatus.Active, EndOfTermAction.Expire)]
    [InlineData(false, false, SubscriptionStatus.Suspended, EndOfTermAction.Expire)]
    public void End_of_term_action(bool autoRenew, bool cancelAtTermEnd, SubscriptionStatus status, EndOfTermAction expected) =>
        Assert.Equal(expected, ExtendedServiceTerm.ActionAtTermEnd(autoRenew, cancelAtTermEnd, status, new(2025, 6, 1), new(2026, 5, 31)));
}
