using Skyport.Features.Billing.Rating;

namespace Skyport.Tests.Features.Billing;

/// <summary>R5: customer list first for the same offer, term and frequency; the entry in force on the date.</summary>
public sealed class PriceLookupTests
{
    private static readonly PriceKey Monthly = new("E3", TermDuration.P1M, BillingFrequency.Monthly);
    private static readonly PriceKey YearlyMonthly = new("E3", TermDuration.P1Y, BillingFrequency.Monthly);

    private static readonly PriceLookup Prices = new(new PriceLists(
        [
            new PriceEntry("E3", TermDuration.P1M, BillingFrequency.Monthly, 12.50m, new DateOnly(2020, 1, 1)),
            new PriceEntry("E3", TermDuration.P1M, BillingFrequency.Monthly, 14.00m, new DateOnly(2025, 6, 1)),
            new PriceEntry("E3", TermDuration.P1Y, BillingFrequency.Monthly, 11.00m, new DateOnly(2020, 1, 1)),
        ],
        [
            new PriceEntry("E3", TermDuration.P1Y, BillingFrequency.Monthly, 10.00m, new DateOnly(2025, 3, 1)),
        ]));

    [Theory]
    [InlineData("P1M", "2025-05-31", "12.50", PriceSource.Global)]
    [InlineData("P1M", "2025-06-01", "14.00", PriceSource.Global)]
    [InlineData("P1Y", "2025-02-28", "11.00", PriceSource.Global)]
    [InlineData("P1Y", "2025-03-01", "10.00", PriceSource.Customer)]
    public void Price_in_force_on_a_date(string term, string date, string unitPrice, PriceSource source)
    {
        var key = term == "P1M" ? Monthly : YearlyMonthly;

        Assert.Equal(new PriceQuote(decimal.Parse(unitPrice), source), Prices.InForceOn(key, DateOnly.Parse(date)));
    }

    [Fact]
    public void No_price_before_the_first_entry_or_for_another_key()
    {
        Assert.Null(Prices.InForceOn(Monthly, new DateOnly(2019, 12, 31)));
        Assert.Null(Prices.InForceOn(Monthly with { BillingFrequency = BillingFrequency.Annual }, new DateOnly(2025, 1, 1)));
        Assert.False(Prices.HasAnyPrice(new PriceKey("OTHER", TermDuration.P1M, BillingFrequency.Monthly)));
    }
}
