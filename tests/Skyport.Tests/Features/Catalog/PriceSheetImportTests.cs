using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Skyport.Data;
using Skyport.PartnerCenter;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Catalog;

public sealed class PriceSheetImportOnSqlite(SqliteSkyport app) : PriceSheetImportTests(app), IClassFixture<SqliteSkyport>;

public sealed class PriceSheetImportOnPostgres(PostgresSkyport app) : PriceSheetImportTests(app), IClassFixture<PostgresSkyport>;

/// <summary>Cost prices come from Partner Center's license-based price sheet for the configured market (Skyport:Catalog:Country, DE).</summary>
public abstract class PriceSheetImportTests(SkyportApp app)
{
    [Fact]
    public async Task Every_cost_price_is_its_price_sheet_row_per_billing_period_in_the_markets_currency()
    {
        await Shop.ImportCatalogAsync(app);
        var rows = await PriceSheetRowsAsync(app, "DE");
        var northwind = await Known.IdOfAsync(app, DemoData.Customer.Organization);
        var catalog = (await (await app.Broker().GetAsync($"/api/v1/customers/{northwind}/o365/catalog")).ExpectAsync(HttpStatusCode.OK))!.AsArray();

        Assert.True(catalog.Count >= 26 * 3);
        foreach (var offer in catalog)
        {
            var term = offer!["termDuration"]!.GetValue<string>();
            var frequency = offer["billingFrequency"]!.GetValue<string>();
            // The file prices the whole term; Skyport's prices are per billing period.
            var row = rows.Single(r => r["ProductId"] == offer["productId"]!.GetValue<string>() && r["SkuId"] == offer["skuId"]!.GetValue<string>()
                && r["TermDuration"] == term && r["BillingPlan"].Equals(frequency, StringComparison.OrdinalIgnoreCase));
            var periods = term == "P1Y" && frequency == "monthly" ? 12 : 1;
            Assert.Equal("EUR", row["Currency"]);
            Assert.Equal(Math.Round(decimal.Parse(row["UnitPrice"], System.Globalization.CultureInfo.InvariantCulture) / periods, 2, MidpointRounding.AwayFromZero),
                offer["costPrice"]!.GetValue<decimal>());
            Assert.Equal("EUR", offer["currency"]!.GetValue<string>());
        }
        var basic = catalog.Single(o => o!["offerId"]!.GetValue<string>() == Shop.BusinessBasic && o["termDuration"]!.GetValue<string>() == "P1Y" && o["billingFrequency"]!.GetValue<string>() == "annual")!;
        Assert.Equal(62.40m, basic["costPrice"]!.GetValue<decimal>());
        Assert.Equal(Guid.Parse("3b555118-da6a-4418-894f-7df1e2096870"), await app.InScopeAsync(async services =>
            (await services.GetRequiredService<SkyportDbContext>().CatalogOffers.FindAsync(Shop.BusinessBasic))!.LicenseSkuId));
    }

    /// <summary>The market's price sheet straight from the emulator, as Microsoft's Partner API serves it.</summary>
    internal static async Task<List<Dictionary<string, string>>> PriceSheetRowsAsync(SkyportApp app, string market)
    {
        var emulator = app.Services.GetRequiredService<EmbeddedEmulator>().BaseUrl;
        using var http = new HttpClient();
        // The price sheet is App+User only (get-a-price-sheet): Skyport's own grant, the emulator's Admin agent.
        var token = await app.Services.GetRequiredService<EntraTokenProvider>()
            .GetTokenAsync(TokenKind.AppUser, Skyport.PartnerCenterEmulator.EmulatorOptions.DefaultPartnerTenantId.ToString(), PartnerCenterOptions.PartnerApiUserScope);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{emulator}/v1.0/sales/pricesheets(Market='{market}',PricesheetView='updatedlicensebased')/$value");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var lines = (await (await http.SendAsync(request)).EnsureSuccessStatusCode().Content.ReadAsStringAsync())
            .Split("\r\n").Where(l => l.Length > 0).Select(l => l.Trim('"').Split("\",\"")).ToList();
        return [.. lines.Skip(1).Select(fields => lines[0].Zip(fields).ToDictionary(p => p.First, p => p.Second))];
    }
}

public sealed class SqliteSkyportInUsd : SqliteSkyport
{
    public SqliteSkyportInUsd() => Set("Skyport:Catalog:Currency", "USD");
}

public sealed class PostgresSkyportInUsd : PostgresSkyport
{
    public PostgresSkyportInUsd() => Set("Skyport:Catalog:Currency", "USD");
}

public sealed class CurrencyNotPublishedOnSqlite(SqliteSkyportInUsd app) : CurrencyNotPublishedTests(app), IClassFixture<SqliteSkyportInUsd>;

public sealed class CurrencyNotPublishedOnPostgres(PostgresSkyportInUsd app) : CurrencyNotPublishedTests(app), IClassFixture<PostgresSkyportInUsd>;

/// <summary>Skyport set to sell in USD with the German catalog: Microsoft publishes Germany's prices in EUR only.</summary>
public abstract class CurrencyNotPublishedTests(SkyportApp app)
{
    [Fact]
    public async Task The_import_is_refused_with_a_clear_message_and_nothing_is_imported()
    {
        var refused = await (await app.Broker().PostAsync("/api/v1/catalog/import", null)).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        var detail = refused!["detail"]!.GetValue<string>();
        Assert.Contains("price sheet for market DE has prices in EUR, none in USD", detail);
        Assert.Contains("Skyport:Catalog:Currency", detail);
        Assert.Empty((await (await app.Broker().GetAsync("/api/v1/catalog/offers")).ExpectAsync(HttpStatusCode.OK))!.AsArray());
        Assert.Empty((await (await app.Broker().GetAsync("/api/v1/price-lists/global")).ExpectAsync(HttpStatusCode.OK))!["items"]!.AsArray());
    }
}
