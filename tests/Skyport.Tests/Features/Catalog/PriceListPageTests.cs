using System.Net;
using Skyport.Data;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Catalog;

public sealed class PriceListPageTests(SqliteSkyport app) : IClassFixture<SqliteSkyport>
{
    [Fact]
    public async Task Uploading_a_file_without_prices_asks_first_and_only_the_confirmation_empties_the_list()
    {
        await Shop.ImportCatalogAsync(app);
        var customer = await A.Customer().Named("Wingtip Toys").CreateAsync(app);
        var api = $"/api/v1/customers/{customer}/price-list";
        await (await app.Broker().PutJsonAsync(api, new
        {
            items = new[]
            {
                new { offerId = Shop.BusinessBasic, termDuration = "P1M", billingFrequency = "monthly", unitPrice = 5m, effectiveFrom = "2024-01-01" },
                new { offerId = Shop.BusinessBasic, termDuration = "P1Y", billingFrequency = "annual", unitPrice = 50m, effectiveFrom = "2024-01-01" },
            },
        })).ExpectAsync(HttpStatusCode.OK);
        async Task<int> PricesAsync() => (await (await app.Broker().GetAsync(api)).ExpectAsync(HttpStatusCode.OK))!["items"]!.AsArray().Count;

        var broker = new Browser(app);
        await broker.SignInAsync(DemoData.Broker.Email, DemoData.Broker.Password);
        var page = $"/price-lists/{customer}";
        var asked = await broker.SubmitFileAsync(page, "Import", "file", "empty.csv", "offerId,termDuration,billingFrequency,unitPrice,effectiveFrom\n");
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        var confirmation = await asked.Content.ReadAsStringAsync();
        Assert.Contains("This removes all 2 prices of the price list of Wingtip Toys. Remove them all?", confirmation);
        Assert.Contains(">Remove all prices</button>", confirmation);
        Assert.Equal(2, await PricesAsync());

        // The confirmation is a form post like any other: without the antiforgery token it is refused.
        Assert.Equal(HttpStatusCode.BadRequest, (await broker.PostAsync($"{page}?handler=RemoveAll", new Dictionary<string, string>())).StatusCode);
        Assert.Equal(2, await PricesAsync());

        var removed = await broker.SubmitAsync(page, new Dictionary<string, string>(), "RemoveAll");
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Equal(0, await PricesAsync());
        Assert.Contains("All 2 prices of the price list", await broker.PageAsync(removed.Headers.Location!.OriginalString));
    }
}
