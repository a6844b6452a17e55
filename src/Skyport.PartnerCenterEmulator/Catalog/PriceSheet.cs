using System.Globalization;
using CsvHelper;
using Skyport.PartnerCenterEmulator.Subscriptions;

namespace Skyport.PartnerCenterEmulator.Catalog;

/// <summary>One row of Microsoft's license-based price sheet, its columns in Microsoft's order (see <see cref="PriceSheet.Columns"/>).</summary>
public sealed record PriceSheetRow(
    string ProductTitle,
    string ProductId,
    string SkuId,
    string SkuTitle,
    string Publisher,
    string SkuDescription,
    string UnitOfMeasure,
    string TermDuration,
    string BillingPlan,
    string Market,
    string Currency,
    string UnitPrice,
    string PricingTierRangeMin,
    string PricingTierRangeMax,
    string EffectiveStartDate,
    string EffectiveEndDate,
    string Tags,
    string ErpPrice);

/// <summary>The license-based price sheet of a market, as the CSV file Microsoft serves.</summary>
public static class PriceSheet
{
    public const string LicenseBasedView = "updatedlicensebased";

    /// <summary>Microsoft's 18 columns in Microsoft's order (partner-center/developer/get-a-price-sheet, response example).</summary>
    public static readonly string[] Columns =
    [
        "ProductTitle", "ProductId", "SkuId", "SkuTitle", "Publisher", "SkuDescription", "UnitOfMeasure", "TermDuration", "BillingPlan",
        "Market", "Currency", "UnitPrice", "PricingTierRangeMin", "PricingTierRangeMax", "EffectiveStartDate", "EffectiveEndDate", "Tags", "ERP Price",
    ];

    /// <summary>The other views Microsoft's page lists; the emulator publishes none of them.</summary>
    public static readonly string[] OtherViews = ["azure_consumption", "azure_reservations", "marketplace", "software"];

    /// <summary>Markets whose prices the emulator knows: the United States in USD and the euro area in EUR.</summary>
    public static bool IsMarket(string market) => market.Equals("US", StringComparison.OrdinalIgnoreCase) || CatalogData.IsEuroCountry(market);

    public static IEnumerable<PriceSheetRow> Rows(string market, DateOnly month)
    {
        market = market.ToUpperInvariant();
        var currency = CatalogData.CurrencyFor(market);
        var start = Date(month);
        var end = Date(month.AddMonths(1));
        return CatalogData.Items.SelectMany(i => CatalogData.Terms.Select(t =>
        {
            // Microsoft's prices cover the whole term: one row per product, SKU, term and billing plan.
            var price = Text(CatalogData.MonthlyUnitPrice(i, t.Duration, t.BillingCycle, currency) * Terms.Months(t.Duration));
            return new PriceSheetRow(i.Title, i.ProductId, i.SkuId, i.Title, "Microsoft Corporation", i.Description, "",
                t.Duration, t.BillingCycle, market, currency, price, "", "", start, end, "License", price);
        }));
    }

    /// <summary>Every value quoted, as in Microsoft's file.</summary>
    public static void Write(Stream stream, IEnumerable<PriceSheetRow> rows)
    {
        using var csv = CsvWriter.Create(stream, new CsvWriterOptions { Quoting = CsvQuoting.Always, NewLine = "\r\n" }, true);
        csv.WriteRecord(Columns);
        foreach (var r in rows)
        {
            csv.WriteRecord(
            [
                r.ProductTitle, r.ProductId, r.SkuId, r.SkuTitle, r.Publisher, r.SkuDescription, r.UnitOfMeasure, r.TermDuration, r.BillingPlan,
                r.Market, r.Currency, r.UnitPrice, r.PricingTierRangeMin, r.PricingTierRangeMax, r.EffectiveStartDate, r.EffectiveEndDate, r.Tags, r.ErpPrice,
            ]);
        }
    }

    private static string Date(DateOnly day) => day.ToDateTime(TimeOnly.MinValue).ToString("M/d/yyyy h:mm:ss tt", CultureInfo.InvariantCulture);

    private static string Text(decimal value) => value.ToString("0.############", CultureInfo.InvariantCulture);
}
