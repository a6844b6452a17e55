using Skyport.Features.Billing.Rating;

namespace Skyport.Tests.Features.Billing;

/// <summary>R3: exact decimals, each line rounded half away from zero.</summary>
public sealed class MoneyTests
{
    [Theory]
    [InlineData("2.345", "2.35")]
    [InlineData("-2.345", "-2.35")]
    [InlineData("5.025", "5.03")]
    [InlineData("-5.025", "-5.03")]
    [InlineData("0.125", "0.13")]
    [InlineData("2.675", "2.68")]
    [InlineData("1.005", "1.01")]
    [InlineData("1.0049999", "1.00")]
    [InlineData("-0.005", "-0.01")]
    [InlineData("18.1451612903", "18.15")]
    public void Rounds_half_away_from_zero(string amount, string rounded)
    {
        Assert.Equal(decimal.Parse(rounded), Money.RoundHalfAwayFromZero(decimal.Parse(amount)));
    }

    [Theory]
    [InlineData(1, "2.01", 15, 30, "1.01")]
    [InlineData(3, "12.50", 15, 31, "18.15")]
    [InlineData(2, "10.08", 28, 30, "18.82")]
    [InlineData(4, "10.08", 28, 30, "37.63")]
    [InlineData(1, "10.05", 15, 30, "5.03")]
    [InlineData(1, "22.00", 15, 28, "11.79")]
    [InlineData(1, "264.00", 315, 366, "227.21")]
    [InlineData(7, "0.01", 1, 31, "0.00")]
    public void Prorated_amount_is_quantity_times_price_times_days_over_period(
        int quantity, string unitPrice, int days, int periodDays, string amount)
    {
        Assert.Equal(decimal.Parse(amount), Proration.Amount(quantity, decimal.Parse(unitPrice), days, periodDays));
    }

    [Fact]
    public void Binary_floating_point_would_get_the_rule_example_wrong_but_decimal_does_not()
    {
        Assert.Equal(1.00, Math.Round(2.01 * 15 / 30, 2, MidpointRounding.AwayFromZero));
        Assert.Equal(1.01m, Proration.Amount(1, 2.01m, 15, 30));
    }

    [Theory]
    [InlineData(10, "12.50", "125.00")]
    [InlineData(3, "1.2345", "3.70")]
    public void A_full_period_costs_quantity_times_price(int quantity, string unitPrice, string amount)
    {
        Assert.Equal(decimal.Parse(amount), Proration.FullPeriod(quantity, decimal.Parse(unitPrice)));
    }
}
