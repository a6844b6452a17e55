using System.Net;
using Skyport.Data;
using Skyport.Features.Subscriptions;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Subscriptions;

public sealed class SubscriptionPageTests(SqliteSkyport app) : IClassFixture<SqliteSkyport>, IAsyncLifetime
{
    public Task InitializeAsync() => Shop.ImportCatalogAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Subscription_and_price_list_pages_of_another_subtree_are_not_found()
    {
        var otherReseller = await A.Reseller().CreateAsync(app);
        var foreign = await A.Customer().Under(otherReseller).CreateAsync(app);
        var reseller = new Browser(app);
        await reseller.SignInAsync(DemoData.Reseller.Email, DemoData.Reseller.Password);
        var someId = Guid.NewGuid();
        foreach (var url in new[]
        {
            $"/my-services/o365/{foreign}/subscriptions", $"/my-services/o365/{foreign}/subscriptions/add",
            $"/my-services/o365/{foreign}/subscriptions/{someId}/quantity", $"/my-services/o365/{foreign}/subscriptions/{someId}/addons",
            $"/my-services/o365/{foreign}/subscriptions/{someId}/history", $"/price-lists/{foreign}",
        })
        {
            Assert.True((await reseller.GetAsync(url)).StatusCode == HttpStatusCode.NotFound, url);
        }
        Assert.NotEqual(HttpStatusCode.OK, (await reseller.GetAsync("/catalog")).StatusCode);
    }

    [Fact]
    public async Task The_cascade_answers_groups_products_and_the_price_and_the_list_shows_a_bought_subscription()
    {
        var customer = await Shop.CustomerWithO365Async(app);
        var broker = new Browser(app);
        await broker.SignInAsync(DemoData.Broker.Email, DemoData.Broker.Password);
        var add = $"/my-services/o365/{customer}/subscriptions/add";

        var groups = await broker.PageAsync($"{add}?handler=Picker&Input.Category=Microsoft%20365");
        Assert.Contains("<option value=\"Frontline\"", groups);
        Assert.DoesNotContain("Product</legend>", groups);
        var products = await broker.PageAsync($"{add}?handler=Picker&Input.Category=Microsoft%20365&Input.ProductGroup=Business");
        Assert.Contains("Microsoft 365 Business Premium", products);
        Assert.Contains("role=\"tooltip\"", products);
        var price = await broker.PageAsync($"{add}?handler=Price&Input.OfferId={Uri.EscapeDataString(Shop.BusinessBasic)}&Input.Term=P1M/monthly&Input.Quantity=custom&Input.CustomQuantity=200");
        Assert.Contains("200 ×", price);
        Assert.Contains("global price list", price);

        var created = await broker.SubmitAsync(add, new Dictionary<string, string>
        {
            ["Input.Category"] = "Microsoft 365", ["Input.ProductGroup"] = "Business", ["Input.OfferId"] = Shop.BusinessBasic,
            ["Input.Term"] = "P1M/monthly", ["Input.Quantity"] = "custom", ["Input.CustomQuantity"] = "12", ["Input.FriendlyName"] = "Warehouse",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var list = await broker.PageAsync($"/my-services/o365/{customer}/subscriptions");
        Assert.Contains("Warehouse", list);
        Assert.Contains("Actions for Microsoft 365 Business Basic (Warehouse)", list);

        var tooMany = await broker.SubmitAsync(add, new Dictionary<string, string> { ["Input.OfferId"] = Shop.BusinessBasic, ["Input.Term"] = "P1M/monthly", ["Input.Quantity"] = "custom", ["Input.CustomQuantity"] = "10001" });
        Assert.Equal(HttpStatusCode.OK, tooMany.StatusCode);
        Assert.Contains("between 1 and 10,000", await tooMany.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_broker_sets_a_customer_price_on_the_page_and_sees_cost_and_margin()
    {
        var customer = await A.Customer().CreateAsync(app);
        var broker = new Browser(app);
        await broker.SignInAsync(DemoData.Broker.Email, DemoData.Broker.Password);
        var url = $"/price-lists/{customer}";
        var bad = await broker.SubmitAsync(url, new Dictionary<string, string> { ["Input.OfferId"] = Shop.BusinessBasic, ["Input.Term"] = "P1M/monthly", ["Input.UnitPrice"] = "1.234", ["Input.EffectiveFrom"] = "2026-01-01" }, "Set");
        Assert.Contains("at most 2 decimals", await bad.Content.ReadAsStringAsync());
        var saved = await broker.SubmitAsync(url, new Dictionary<string, string> { ["Input.OfferId"] = Shop.BusinessBasic, ["Input.Term"] = "P1M/monthly", ["Input.UnitPrice"] = "4.25", ["Input.EffectiveFrom"] = "2026-01-01" }, "Set");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var page = await broker.PageAsync(url);
        Assert.Contains("4.25", page);
        Assert.Contains("Cost price", page);
        var global = await broker.PageAsync("/price-lists");
        Assert.Contains("Margin", global);

        var customerAdmin = new Browser(app);
        await customerAdmin.SignInAsync(DemoData.Customer.Email, DemoData.Customer.Password);
        var northwind = await Known.IdOfAsync(app, DemoData.Customer.Organization);
        var own = await customerAdmin.PageAsync($"/price-lists/{northwind}");
        Assert.DoesNotContain("Cost price", own);
        Assert.DoesNotContain("Set a price", own);
        Assert.DoesNotContain("Cost price", await customerAdmin.PageAsync("/price-lists"));
    }

    [Fact]
    public async Task A_subscription_whose_order_Partner_Center_is_still_processing_shows_as_being_processed()
    {
        var emulator = new EmulatorControl(app);
        await emulator.SettingsAsync(new { orderPendingSeconds = 600 });
        try
        {
            var customer = await Shop.CustomerWithO365Async(app);
            var broker = new Browser(app);
            await broker.SignInAsync(DemoData.Broker.Email, DemoData.Broker.Password);
            var created = await broker.SubmitAsync($"/my-services/o365/{customer}/subscriptions/add", new Dictionary<string, string>
            {
                ["Input.Category"] = "Microsoft 365", ["Input.ProductGroup"] = "Business", ["Input.OfferId"] = Shop.BusinessBasic,
                ["Input.Term"] = "P1M/monthly", ["Input.Quantity"] = "3", ["Input.FriendlyName"] = "Night shift",
            });
            Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
            var list = await broker.PageAsync($"/my-services/o365/{customer}/subscriptions");
            Assert.Contains("Partner Center is processing the order", list);
            Assert.Contains("<span class=\"tag\">Being processed</span>", list);
            Assert.DoesNotContain("Change quantity", list);
        }
        finally
        {
            await emulator.SettingsAsync(new { orderPendingSeconds = 0 });
        }
    }
}

public sealed class SubscriptionMathTests
{
    private static readonly DateTimeOffset Bought = new(2026, 1, 10, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_purchase_and_increases_are_batches_and_a_decrease_removes_the_newest_seats()
    {
        var batches = SubscriptionMath.Batches(
        [
            (Bought, SubscriptionEventKind.Purchase, 0, 3),
            (Bought.AddDays(2), SubscriptionEventKind.ChangeQuantity, 3, 6),
            (Bought.AddDays(3), SubscriptionEventKind.ChangeQuantity, 6, 4),
            (Bought.AddDays(4), SubscriptionEventKind.Suspend, 4, 4),
        ], new DateOnly(2026, 1, 10));
        Assert.Equal([new(Bought, 3), new(Bought.AddDays(2), 1)], batches);
    }

    [Fact]
    public void A_new_term_gives_every_seat_one_window_from_midnight_of_its_start()
    {
        var batches = SubscriptionMath.Batches(
        [
            (Bought, SubscriptionEventKind.Purchase, 0, 3),
            (Bought.AddDays(2), SubscriptionEventKind.ChangeQuantity, 3, 5),
            (new DateTimeOffset(2026, 2, 12, 8, 0, 0, TimeSpan.Zero), SubscriptionEventKind.ChangeQuantity, 5, 7),
        ], new DateOnly(2026, 2, 10));
        Assert.Equal([new(new DateTimeOffset(2026, 2, 10, 0, 0, 0, TimeSpan.Zero), 5), new(new DateTimeOffset(2026, 2, 12, 8, 0, 0, TimeSpan.Zero), 2)], batches);
        Assert.Equal([new(new DateTimeOffset(2026, 2, 10, 0, 0, 0, TimeSpan.Zero), 5)], SubscriptionMath.Batches([(Bought, SubscriptionEventKind.Purchase, 0, 5)], new DateOnly(2026, 2, 10)));
    }

    [Theory]
    [InlineData(10.00, 3, "monthly", 30.00)]
    [InlineData(120.00, 3, "annual", 30.00)]
    [InlineData(7.18, 7, "annual", 4.19)]
    public void The_monthly_cost_spreads_an_annual_price_over_twelve_months(decimal unit, int quantity, string frequency, decimal expected) =>
        Assert.Equal(expected, SubscriptionMath.MonthlyCost(unit, quantity, frequency));

    [Theory]
    [InlineData("active", "active")]
    [InlineData("Suspended", "suspended")]
    [InlineData("deleted", "cancelled")]
    [InlineData("expired", "expired")]
    [InlineData("pending", "pending")]
    public void Partner_Center_statuses_map_to_Skyports(string partnerCenter, string skyport) =>
        Assert.Equal(skyport, SubscriptionMath.Text(SubscriptionMath.StatusFromPartnerCenter(partnerCenter)));

}
