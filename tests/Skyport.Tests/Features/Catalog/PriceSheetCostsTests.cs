using Skyport.Features.Catalog;
using Skyport.PartnerCenter;

namespace Skyport.Tests.Features.Catalog;

public sealed class PriceSheetCostsTests
{
    private static readonly DateTime Now = new(2026, 3, 15, 0, 0, 0, DateTimeKind.Utc);

    private static PriceSheetRow Row(string term, string plan, decimal price, string currency = "EUR", DateTime? start = null) =>
        new("CFQ7TTC0LH18", "0001", term, plan, "DE", currency, price, start ?? new DateTime(2026, 3, 1));

    [Theory]
    [InlineData("P1M", "Monthly", "7.20", "P1M", "monthly", "7.20")]
    [InlineData("P1Y", "Annual", "62.40", "P1Y", "annual", "62.40")]
    [InlineData("P1Y", "Monthly", "65.52", "P1Y", "monthly", "5.46")]
    [InlineData("p1y", "monthly", "100", "P1Y", "monthly", "8.33")]
    public void A_rows_term_price_becomes_a_price_per_billing_period(string term, string plan, string price, string storedTerm, string frequency, string perPeriod)
    {
        var cost = Assert.Single(PriceSheetCosts.Select([Row(term, plan, decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture))], "DE", "EUR", Now).Value!);
        Assert.Equal(new SkuCost("CFQ7TTC0LH18", "0001", storedTerm, frequency, "EUR", decimal.Parse(perPeriod, System.Globalization.CultureInfo.InvariantCulture)), cost);
    }

    [Fact]
    public void Terms_Skyport_does_not_sell_are_skipped_and_the_row_in_force_wins()
    {
        var costs = PriceSheetCosts.Select(
        [
            Row("P3Y", "Triennial", 200m),
            Row("P1M", "Annual", 1m),
            Row("P1M", "Monthly", 7.00m, start: new DateTime(2026, 1, 1)),
            Row("P1M", "Monthly", 7.20m, start: new DateTime(2026, 3, 1)),
            Row("P1M", "Monthly", 8.00m, start: new DateTime(2026, 4, 1)),
        ], "DE", "EUR", Now).Value!;
        Assert.Equal(7.20m, Assert.Single(costs).UnitPrice);
    }

    [Fact]
    public void A_currency_the_market_does_not_publish_is_refused_with_the_currencies_it_does()
    {
        var refused = PriceSheetCosts.Select([Row("P1M", "Monthly", 7.2m), Row("P1Y", "Annual", 62.4m)], "DE", "usd", Now).Failure!;
        Assert.Equal(Skyport.Web.FailureKind.RuleRefused, refused.Kind);
        Assert.StartsWith("Partner Center's price sheet for market DE has prices in EUR, none in USD.", refused.Detail);
        Assert.Contains("no license prices", PriceSheetCosts.Select([], "DE", "EUR", Now).Failure!.Detail);
    }
}
