using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Skyport.Emulator.Tests;

/// <summary>
/// The license-based price sheet as Microsoft's Partner API serves it (partner-center/developer/get-a-price-sheet), and the
/// catalog with only the fields Microsoft sends (docs/microsoft-contract.md §8, §9).
/// </summary>
[Collection(SharedEmulator.Name)]
public sealed class PriceSheetTests(EmulatorFixture emulator)
{
    private const string Header =
        "\"ProductTitle\",\"ProductId\",\"SkuId\",\"SkuTitle\",\"Publisher\",\"SkuDescription\",\"UnitOfMeasure\",\"TermDuration\",\"BillingPlan\"," +
        "\"Market\",\"Currency\",\"UnitPrice\",\"PricingTierRangeMin\",\"PricingTierRangeMax\",\"EffectiveStartDate\",\"EffectiveEndDate\",\"Tags\",\"ERP Price\"";

    private static string SheetPath(string market, string view = "updatedlicensebased") =>
        $"/v1.0/sales/pricesheets(Market='{market}',PricesheetView='{view}')/$value";

    private async Task<HttpResponseMessage> DownloadAsync(string path, string? scope = "https://api.partner.microsoft.com/.default", bool deflate = false, Guid? tenant = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, emulator.BaseUrl + path);
        if (scope is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await emulator.UserTokenAsync(tenant ?? emulator.PartnerTenantId, scope));
        }
        if (deflate) request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("deflate"));
        using var client = new HttpClient();
        return await client.SendAsync(request);
    }

    private static string[] Row(string csv, string productId, string term, string plan) =>
        csv.Split("\r\n").Where(l => l.Length > 0).Select(l => l.Trim('"').Split("\",\"")).Single(f => f[1] == productId && f[7] == term && f[8] == plan);

    [Fact]
    public async Task The_sheet_is_a_csv_file_with_Microsofts_columns_in_Microsofts_order_and_term_prices()
    {
        var response = await DownloadAsync(SheetPath("US"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("sheets.csv", response.Content.Headers.ContentDisposition?.FileName);
        var csv = await response.Content.ReadAsStringAsync();
        Assert.Equal(Header, csv.Split("\r\n")[0]);

        var basic = Row(csv, "CFQ7TTC0LH18", "P1Y", "Annual");
        Assert.Equal(18, basic.Length);
        Assert.Equal(["Microsoft 365 Business Basic", "CFQ7TTC0LH18", "0001", "Microsoft 365 Business Basic", "Microsoft Corporation"], basic[..5]);
        Assert.Equal(["US", "USD", "72"], basic[9..12]);
        var now = await emulator.NowAsync();
        Assert.Equal($"{now.Month}/1/{now.Year} 12:00:00 AM", basic[14]);
        Assert.Equal("License", basic[16]);
        Assert.Equal("72", basic[17]);
        // A P1Y term billed monthly is priced for the whole year too (5% above annual billing).
        Assert.Equal("75.6", Row(csv, "CFQ7TTC0LH18", "P1Y", "Monthly")[11]);
        Assert.Equal("7.2", Row(csv, "CFQ7TTC0LH18", "P1M", "Monthly")[11]);
        Assert.DoesNotContain(csv.Split("\r\n"), l => l.Contains("CFQ7TTC0K971"));
    }

    [Fact]
    public async Task A_euro_market_is_priced_in_EUR_and_deflate_asks_for_the_zipped_csv()
    {
        var response = await DownloadAsync(SheetPath("de"), deflate: true);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync(), ZipArchiveMode.Read);
        var entry = Assert.Single(zip.Entries);
        using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
        var csv = await reader.ReadToEndAsync();
        Assert.Equal(Header, csv.Split("\r\n")[0]);
        var basic = Row(csv, "CFQ7TTC0LH18", "P1Y", "Annual");
        Assert.Equal(["DE", "EUR", "62.4"], basic[9..12]);
        Assert.DoesNotContain(csv.Split("\r\n").Skip(1).Where(l => l.Length > 0), l => !l.Contains("\"DE\",\"EUR\""));
    }

    [Fact]
    public async Task A_bad_market_view_or_timeline_gets_Partner_Centers_error_and_history_takes_a_month()
    {
        foreach (var market in new[] { "XX", "USA", "" })
        {
            var response = await DownloadAsync(SheetPath(market));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(800002, error.RootElement.GetProperty("code").GetInt32());
            Assert.Equal("Market", error.RootElement.GetProperty("data")[0].GetString());
            Assert.Contains(market, error.RootElement.GetProperty("description").GetString());
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await DownloadAsync(SheetPath("US", "cheapest"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await DownloadAsync(SheetPath("US", "azure_consumption"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await DownloadAsync(SheetPath("US") + "?timeline=future")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await DownloadAsync(SheetPath("US") + "?timeline=history")).StatusCode);
        var history = await DownloadAsync(SheetPath("US") + "?timeline=history&month=202511");
        Assert.Equal(HttpStatusCode.OK, history.StatusCode);
        Assert.Equal("11/1/2025 12:00:00 AM", Row(await history.Content.ReadAsStringAsync(), "CFQ7TTC0LH18", "P1M", "Monthly")[14]);
    }

    [Fact]
    public async Task The_sheet_needs_a_Partner_API_token_of_the_partner()
    {
        var none = await DownloadAsync(SheetPath("US"), scope: null);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        using (var error = JsonDocument.Parse(await none.Content.ReadAsStringAsync()))
        {
            Assert.Equal("Access denied", error.RootElement.GetProperty("description").GetString());
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await DownloadAsync(SheetPath("US"), "https://api.partnercenter.microsoft.com/.default")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await DownloadAsync(SheetPath("US"), "https://graph.microsoft.com/.default")).StatusCode);
        var (customer, _, _) = await emulator.CreateCustomerAsync("sheet");
        Assert.Equal(HttpStatusCode.Unauthorized, (await DownloadAsync(SheetPath("US"), tenant: customer)).StatusCode);
    }

    [Fact]
    public async Task The_catalog_and_carts_carry_only_what_Microsoft_sends()
    {
        var (_, products) = await emulator.GetAsync("/v1/products?country=US&targetView=OnlineServices");
        foreach (var product in products.GetProperty("items").EnumerateArray())
        {
            Assert.False(product.TryGetProperty("category", out _), "Microsoft sends no category for new-commerce products");
            Assert.Equal("OnlineServicesNCE", product.GetProperty("productType").GetProperty("id").GetString());
        }
        var (_, sku) = await emulator.GetAsync("/v1/products/CFQ7TTC0LH18/skus/0001?country=US");
        Assert.False(sku.TryGetProperty("itemCode", out _));
        var attributes = sku.GetProperty("dynamicAttributes");
        Assert.False(attributes.TryGetProperty("skuPartNumber", out _));
        Assert.Equal(Catalog.BusinessBasicSku, attributes.GetProperty("provisioningId").GetGuid());
        Assert.Equal(
            ["isMicrosoftProduct", "hasConstraints", "isAddon", "prerequisiteSkus", "isSoftwareAssuranceApplicable", "upgradeTargetOffers", "provisioningId", "internal"],
            attributes.EnumerateObject().Select(p => p.Name));

        Assert.Equal(HttpStatusCode.NotFound, (await emulator.GetAsync("/v1/pricesheet?currency=EUR")).Response.StatusCode);
        var (customerId, _, _) = await emulator.CreateCustomerAsync("cartshape");
        var (_, cart) = await emulator.PostAsync($"/v1/customers/{customerId}/carts", new
        {
            lineItems = new[] { new { catalogItemId = Catalog.BusinessBasic, quantity = 1, termDuration = "P1M", billingCycle = "Monthly" } },
        });
        var line = cart.GetProperty("lineItems")[0];
        Assert.Equal(Catalog.BusinessBasic, line.GetProperty("catalogItemId").GetString());
        Assert.False(line.TryGetProperty("pricing", out _));
    }
}
