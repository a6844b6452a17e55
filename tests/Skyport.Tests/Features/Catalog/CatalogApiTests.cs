using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Skyport.Data;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Catalog;

public sealed class CatalogApiOnSqlite(SqliteSkyport app) : CatalogApiTests(app), IClassFixture<SqliteSkyport>;

public sealed class CatalogApiOnPostgres(PostgresSkyport app) : CatalogApiTests(app), IClassFixture<PostgresSkyport>;

public abstract class CatalogApiTests(SkyportApp app)
{
    private static JsonNode Offer(JsonNode catalog, string offerId, string term = "P1M", string frequency = "monthly") =>
        catalog.AsArray().Single(o => o!["offerId"]!.GetValue<string>() == offerId && o["termDuration"]!.GetValue<string>() == term && o["billingFrequency"]!.GetValue<string>() == frequency)!;

    [Fact]
    public async Task The_imported_catalog_is_grouped_and_priced_from_the_seeded_global_list_with_cost_for_the_broker_only()
    {
        await Shop.ImportCatalogAsync(app);
        var northwind = await Known.IdOfAsync(app, DemoData.Customer.Organization);

        var catalog = (await (await app.Broker().GetAsync($"/api/v1/customers/{northwind}/o365/catalog")).ExpectAsync(HttpStatusCode.OK))!;
        var basic = Offer(catalog, Shop.BusinessBasic);
        Assert.Equal("Microsoft 365", basic["category"]!.GetValue<string>());
        Assert.Equal("Business", basic["productGroup"]!.GetValue<string>());
        Assert.Equal("Microsoft 365 Business Basic", basic["name"]!.GetValue<string>());
        Assert.Equal("CFQ7TTC0LH18:0001", basic["itemCode"]!.GetValue<string>());
        Assert.Equal("global", basic["priceSource"]!.GetValue<string>());
        Assert.Equal("EUR", basic["currency"]!.GetValue<string>());
        var cost = basic["costPrice"]!.GetValue<decimal>();
        Assert.Equal(Math.Round(cost * 1.15m, 2, MidpointRounding.AwayFromZero), basic["unitPrice"]!.GetValue<decimal>());
        Assert.Equal(basic["unitPrice"]!.GetValue<decimal>() - cost, basic["margin"]!.GetValue<decimal>());
        var annual = Offer(catalog, Shop.BusinessBasic, "P1Y", "annual");
        Assert.True(annual["unitPrice"]!.GetValue<decimal>() > 10 * basic["unitPrice"]!.GetValue<decimal>() * 0.8m, "annual prices are per year");

        var archiving = Offer(catalog, Shop.ExchangeArchiving);
        Assert.True(archiving["isAddOn"]!.GetValue<bool>());
        Assert.Equal("Add-ons", archiving["category"]!.GetValue<string>());
        Assert.Contains(Shop.BusinessBasic, archiving["baseOfferIds"]!.AsArray().Select(b => b!.GetValue<string>()));

        var asCustomer = (await (await (await app.As(DemoData.Customer.Email)).GetAsync($"/api/v1/customers/{northwind}/o365/catalog")).ExpectAsync(HttpStatusCode.OK))!;
        var seen = Offer(asCustomer, Shop.BusinessBasic);
        Assert.Equal(basic["unitPrice"]!.GetValue<decimal>(), seen["unitPrice"]!.GetValue<decimal>());
        Assert.Null(seen["costPrice"]);
        Assert.Null(seen["margin"]);
        var list = await (await app.As(DemoData.Reseller.Email)).GetStringAsync("/api/v1/price-lists/global");
        Assert.DoesNotContain("costPrice", list);
    }

    [Fact]
    public async Task Broker_administrators_rename_groups_and_hide_offers()
    {
        await Shop.ImportCatalogAsync(app);
        var customer = await A.Customer().CreateAsync(app);
        var broker = app.Broker();
        await (await broker.PutJsonAsync("/api/v1/catalog/groups", new { kind = "productGroup", original = "Frontline", displayName = "Firstline workers" })).ExpectAsync(HttpStatusCode.OK);
        await (await broker.PutJsonAsync("/api/v1/catalog/offers/visibility", new { offerId = Shop.BusinessStandard, hidden = true })).ExpectAsync(HttpStatusCode.OK);
        try
        {
            var catalog = (await (await broker.GetAsync($"/api/v1/customers/{customer}/o365/catalog")).ExpectAsync(HttpStatusCode.OK))!.AsArray();
            Assert.DoesNotContain(catalog, o => o!["offerId"]!.GetValue<string>() == Shop.BusinessStandard);
            Assert.Contains(catalog, o => o!["productGroup"]!.GetValue<string>() == "Firstline workers");
            Assert.DoesNotContain(catalog, o => o!["productGroup"]!.GetValue<string>() == "Frontline");

            var groups = await broker.GetStringAsync("/api/v1/catalog/groups");
            Assert.Contains("Firstline workers", groups);
            var bad = await (await broker.PutJsonAsync("/api/v1/catalog/groups", new { kind = "shelf", original = "", displayName = "" })).ExpectAsync(HttpStatusCode.BadRequest);
            Assert.Equal(["displayName", "kind", "original"], bad!["errors"]!.AsObject().Select(e => e.Key).Order());
            await (await (await app.As(DemoData.Reseller.Email)).PutJsonAsync("/api/v1/catalog/offers/visibility", new { offerId = Shop.BusinessBasic, hidden = true })).ExpectAsync(HttpStatusCode.Forbidden);
        }
        finally
        {
            await broker.PutJsonAsync("/api/v1/catalog/offers/visibility", new { offerId = Shop.BusinessStandard, hidden = false });
            await broker.PutJsonAsync("/api/v1/catalog/groups", new { kind = "productGroup", original = "Frontline", displayName = "Frontline" });
        }
    }

    [Fact]
    public async Task A_customer_price_list_overrides_the_global_one_and_bad_items_are_reported_by_path()
    {
        await Shop.ImportCatalogAsync(app);
        var customer = await A.Customer().CreateAsync(app);
        var broker = app.Broker();

        var bad = await (await broker.PutJsonAsync($"/api/v1/customers/{customer}/price-list", new
        {
            items = new object[]
            {
                new { offerId = Shop.BusinessBasic, termDuration = "P1M", billingFrequency = "monthly", unitPrice = 5.5m, effectiveFrom = "2020-01-01" },
                new { offerId = "nope", termDuration = "P1M", billingFrequency = "monthly", unitPrice = 1m, effectiveFrom = "2020-01-01" },
                new { offerId = Shop.BusinessBasic, termDuration = "P1M", billingFrequency = "annual", unitPrice = 1m, effectiveFrom = "2020-01-01" },
                new { offerId = Shop.BusinessBasic, termDuration = "P1Y", billingFrequency = "annual", unitPrice = 1.999m, effectiveFrom = "2020-01-01" },
            },
        })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["items[1].offerId", "items[2].billingFrequency", "items[3].unitPrice"], bad!["errors"]!.AsObject().Select(e => e.Key).Order());
        Assert.Empty((await (await broker.GetAsync($"/api/v1/customers/{customer}/price-list")).ExpectAsync(HttpStatusCode.OK))!["items"]!.AsArray());

        var saved = await (await broker.PutJsonAsync($"/api/v1/customers/{customer}/price-list", new
        {
            items = new[] { new { offerId = Shop.BusinessBasic, termDuration = "P1M", billingFrequency = "monthly", unitPrice = 5.5m, effectiveFrom = "2020-01-01" } },
        })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(5.5m, saved!["items"]![0]!["unitPrice"]!.GetValue<decimal>());

        var catalog = (await (await broker.GetAsync($"/api/v1/customers/{customer}/o365/catalog")).ExpectAsync(HttpStatusCode.OK))!;
        var basic = Offer(catalog, Shop.BusinessBasic);
        Assert.Equal(5.5m, basic["unitPrice"]!.GetValue<decimal>());
        Assert.Equal("customer", basic["priceSource"]!.GetValue<string>());
        Assert.Equal("global", Offer(catalog, Shop.BusinessBasic, "P1Y", "annual")["priceSource"]!.GetValue<string>());

        var reseller = await app.As(DemoData.Reseller.Email);
        await (await reseller.PutJsonAsync("/api/v1/price-lists/global", new { items = Array.Empty<object>() })).ExpectAsync(HttpStatusCode.Forbidden);
        var northwind = await Known.IdOfAsync(app, DemoData.Customer.Organization);
        await (await (await app.As(DemoData.Customer.Email)).PutJsonAsync($"/api/v1/customers/{northwind}/price-list", new { items = Array.Empty<object>() })).ExpectAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_csv_file_with_bad_rows_is_refused_whole_with_line_numbers_and_a_good_one_round_trips()
    {
        await Shop.ImportCatalogAsync(app);
        var customer = await A.Customer().CreateAsync(app);
        var broker = app.Broker();
        var url = $"/api/v1/customers/{customer}/price-list/csv";

        var badFile = $"""
            offerId,termDuration,billingFrequency,unitPrice,effectiveFrom
            {Shop.BusinessBasic},P1M,monthly,4.00,2024-01-01
            {Shop.BusinessBasic},P1M,monthly,abc,2024-01-01
            unknown:offer,P1M,monthly,1,2024-01-01
            {Shop.BusinessBasic},P1Y,annual,40.00,2024-13-01
            """;
        var refused = await (await broker.PutAsync(url, Csv(badFile))).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["line 3.unitPrice", "line 4.offerId", "line 5.effectiveFrom"], refused!["errors"]!.AsObject().Select(e => e.Key).Order());
        Assert.Contains("nothing was imported", refused["detail"]!.GetValue<string>());
        Assert.Empty((await (await broker.GetAsync($"/api/v1/customers/{customer}/price-list")).ExpectAsync(HttpStatusCode.OK))!["items"]!.AsArray());

        var goodFile = $"""
            offerId;termDuration;billingFrequency;unitPrice;effectiveFrom
            {Shop.BusinessBasic};P1M;monthly;4.00;2024-01-01
            {Shop.BusinessBasic};P1Y;annual;40.50;2024-01-01
            """;
        var imported = await (await broker.PutAsync(url, Csv(goodFile))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, imported!["items"]!.AsArray().Count);

        var exported = await broker.GetAsync(url);
        Assert.Equal("text/csv", exported.Content.Headers.ContentType?.MediaType);
        var text = await exported.Content.ReadAsStringAsync();
        Assert.StartsWith("offerId,termDuration,billingFrequency,unitPrice,effectiveFrom,name", text);
        Assert.Contains($"{Shop.BusinessBasic},P1Y,annual,40.50,2024-01-01,Microsoft 365 Business Basic", text);
        await (await broker.PutAsync(url, Csv(text))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, (await (await broker.GetAsync($"/api/v1/customers/{customer}/price-list")).ExpectAsync(HttpStatusCode.OK))!["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task The_global_list_is_replaced_by_a_put_and_validated()
    {
        await Shop.ImportCatalogAsync(app);
        var broker = app.Broker();
        var before = (await (await broker.GetAsync("/api/v1/price-lists/global")).ExpectAsync(HttpStatusCode.OK))!["items"]!.AsArray();
        Assert.NotEmpty(before);
        Assert.NotNull(before[0]!["costPrice"]);

        var bad = await (await broker.PutJsonAsync("/api/v1/price-lists/global", new { items = new[] { new { offerId = Shop.BusinessBasic, termDuration = "P1M", billingFrequency = "monthly", unitPrice = -1m, effectiveFrom = "2026-01-01" } } })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("items[0].unitPrice", bad!["errors"]!.AsObject().Select(e => e.Key));
        await (await broker.PutJsonAsync("/api/v1/price-lists/global", new { })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(before.Count, (await (await broker.GetAsync("/api/v1/price-lists/global")).ExpectAsync(HttpStatusCode.OK))!["items"]!.AsArray().Count);

        var items = before.Select(i => new
        {
            offerId = i!["offerId"]!.GetValue<string>(),
            termDuration = i["termDuration"]!.GetValue<string>(),
            billingFrequency = i["billingFrequency"]!.GetValue<string>(),
            unitPrice = i["unitPrice"]!.GetValue<decimal>() + (i["offerId"]!.GetValue<string>() == Shop.BusinessBasic ? 1m : 0m),
            effectiveFrom = i["effectiveFrom"]!.GetValue<string>(),
        }).ToArray();
        var replaced = await (await broker.PutJsonAsync("/api/v1/price-lists/global", new { items })).ExpectAsync(HttpStatusCode.OK);
        try
        {
            Assert.Equal(before.Count, replaced!["items"]!.AsArray().Count);
            var basicBefore = before.First(i => i!["offerId"]!.GetValue<string>() == Shop.BusinessBasic)!;
            var basicAfter = replaced["items"]!.AsArray().First(i => i!["offerId"]!.GetValue<string>() == Shop.BusinessBasic && i["termDuration"]!.GetValue<string>() == basicBefore["termDuration"]!.GetValue<string>() && i["billingFrequency"]!.GetValue<string>() == basicBefore["billingFrequency"]!.GetValue<string>())!;
            Assert.Equal(basicBefore["unitPrice"]!.GetValue<decimal>() + 1m, basicAfter["unitPrice"]!.GetValue<decimal>());
        }
        finally
        {
            var original = items.Select(i => i with { unitPrice = i.unitPrice - (i.offerId == Shop.BusinessBasic ? 1m : 0m) }).ToArray();
            await (await broker.PutJsonAsync("/api/v1/price-lists/global", new { items = original })).ExpectAsync(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task An_empty_list_or_a_csv_with_only_its_header_removes_no_price_unless_the_caller_says_so()
    {
        await Shop.ImportCatalogAsync(app);
        var broker = app.Broker();
        var globalBefore = await (await broker.GetAsync("/api/v1/price-lists/global")).ExpectAsync(HttpStatusCode.OK);
        var count = globalBefore!["items"]!.AsArray().Count;
        Assert.True(count > 1);
        const string headerOnly = "offerId,termDuration,billingFrequency,unitPrice,effectiveFrom\n";

        var refused = await (await broker.PutJsonAsync("/api/v1/price-lists/global", new { items = Array.Empty<object>() })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["items"], refused!["errors"]!.AsObject().Select(e => e.Key));
        Assert.Contains($"all {count} prices of the global price list", refused["errors"]!["items"]![0]!.GetValue<string>());
        Assert.Contains("\"replaceWithEmpty\": true", refused["errors"]!["items"]![0]!.GetValue<string>());
        Assert.StartsWith("Nothing was changed", refused["detail"]!.GetValue<string>());
        Assert.Equal(count, refused["pricesToRemove"]!.GetValue<int>());
        var refusedCsv = await (await broker.PutAsync("/api/v1/price-lists/global/csv", Csv(headerOnly))).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("?replaceWithEmpty=true", refusedCsv!["errors"]!["items"]![0]!.GetValue<string>());
        await (await broker.PutJsonAsync("/api/v1/price-lists/global", new { items = Array.Empty<object>(), replaceWithEmpty = false })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(globalBefore.ToJsonString(), (await (await broker.GetAsync("/api/v1/price-lists/global")).ExpectAsync(HttpStatusCode.OK))!.ToJsonString());

        var customer = await A.Customer().CreateAsync(app);
        var url = $"/api/v1/customers/{customer}/price-list";
        var price = new { offerId = Shop.BusinessBasic, termDuration = "P1M", billingFrequency = "monthly", unitPrice = 5m, effectiveFrom = "2024-01-01" };
        await (await broker.PutJsonAsync(url, new { items = Array.Empty<object>() })).ExpectAsync(HttpStatusCode.OK); // nothing to remove yet
        await (await broker.PutJsonAsync(url, new { items = new[] { price } })).ExpectAsync(HttpStatusCode.OK);
        var refusedOwn = await (await broker.PutAsync($"{url}/csv", Csv(headerOnly))).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("the 1 price of the customer's price list", refusedOwn!["errors"]!["items"]![0]!.GetValue<string>());
        Assert.Single((await (await broker.GetAsync(url)).ExpectAsync(HttpStatusCode.OK))!["items"]!.AsArray());

        var emptied = await (await broker.PutJsonAsync(url, new { items = Array.Empty<object>(), replaceWithEmpty = true })).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(emptied!["items"]!.AsArray());
        await (await broker.PutJsonAsync(url, new { items = new[] { price } })).ExpectAsync(HttpStatusCode.OK);
        var emptiedByCsv = await (await broker.PutAsync($"{url}/csv?replaceWithEmpty=true", Csv(headerOnly))).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(emptiedByCsv!["items"]!.AsArray());
        await (await broker.PutAsync($"{url}/csv?replaceWithEmpty=maybe", Csv(headerOnly))).ExpectAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task When_Partner_Center_is_down_the_import_answers_503_and_the_catalog_stays()
    {
        await Shop.ImportCatalogAsync(app);
        var emulator = new EmulatorControl(app);
        await emulator.InjectAsync(new { method = "GET", pathPattern = "/v1/products*", kind = "error", status = 503, rate = 1.0, retryAfterSeconds = 0 });
        try
        {
            await (await app.Broker().PostAsync("/api/v1/catalog/import", null)).ExpectAsync(HttpStatusCode.ServiceUnavailable);
        }
        finally
        {
            await emulator.ClearFaultsAsync();
        }
        var offers = (await (await app.Broker().GetAsync("/api/v1/catalog/offers")).ExpectAsync(HttpStatusCode.OK))!.AsArray();
        Assert.Contains(offers, o => o!["offerId"]!.GetValue<string>() == Shop.BusinessBasic && o["available"]!.GetValue<bool>());
    }

    private static StringContent Csv(string text)
    {
        var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return content;
    }
}
