using System.Globalization;
using System.Net;
using System.Text;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Billing.Reports;

public sealed class YearScenarioOnSqlite(BillingOnSqlite app) : YearScenarioApiTests(app), IClassFixture<BillingOnSqlite>;

public sealed class YearScenarioOnPostgres(BillingOnPostgres app) : YearScenarioApiTests(app), IClassFixture<BillingOnPostgres>;

/// <summary>
/// Real subscriptions driven through Skyport's API over a year on the emulator's clock (renewals happen in Partner Center and
/// reach Skyport by reconcile); every stored report equals the preview of the same events.
/// </summary>
public abstract class YearScenarioApiTests(SkyportApp app)
{
    private readonly EmulatorControl _emulator = new(app);

    [Fact]
    public async Task A_year_of_purchases_changes_suspension_add_ons_price_changes_and_renewals_is_reported_as_the_preview_rates_it()
    {
        await Shop.ImportCatalogAsync(app);
        var customer = await Shop.CustomerWithO365Async(app);
        var start = await _emulator.AdvanceToDayAsync(20);
        var month = 0;

        // Mid-cycle purchases: a monthly P1M base and a P1Y billed annually.
        var basic = await BuyAsync(customer, new { offerId = Shop.BusinessBasic, quantity = 5 });
        var annual = await BuyAsync(customer, new { offerId = Shop.BusinessStandard, quantity = 2, termDuration = "P1Y", billingFrequency = "annual" });
        // From the sixth renewal on, the customer pays its own price: the renewal cycle is split (R8).
        await (await app.Broker().PutJsonAsync($"/api/v1/customers/{customer}/price-list", new
        {
            items = new[] { new { offerId = Shop.BusinessBasic, termDuration = "P1M", billingFrequency = "monthly", unitPrice = 4.10m, effectiveFrom = Date(start.AddMonths(5)) } },
        })).ExpectAsync(HttpStatusCode.OK);
        await _emulator.AdvanceClockAsync(0, hours: 2);
        await ChangeAsync(customer, basic, new { quantity = 8 }, HttpStatusCode.OK);
        await _emulator.AdvanceClockAsync(1);
        await ChangeAsync(customer, basic, new { quantity = 6 }, HttpStatusCode.OK); // inside the 168-hour window
        var addOn = (await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer}/o365/subscriptions/{basic}/addons", new { offerId = Shop.ExchangeArchiving, quantity = 1 }))
            .ExpectAsync(HttpStatusCode.Created))!["id"]!.GetValue<string>();
        await _emulator.AdvanceClockAsync(9);
        await ChangeAsync(customer, basic, new { quantity = 3 }, HttpStatusCode.UnprocessableEntity); // outside the window
        await ChangeAsync(customer, annual, new { quantity = 3 }, HttpStatusCode.OK);

        month = await NextMonthAsync(customer, start, month, day: 25); // month 1
        await ChangeAsync(customer, addOn, new { quantity = 2 }, HttpStatusCode.OK);
        month = await NextMonthAsync(customer, start, month, day: 25); // month 2
        await ChangeAsync(customer, basic, new { status = "suspended" }, HttpStatusCode.OK);
        month = await NextMonthAsync(customer, start, month, day: 5); // month 3, before the term ends
        await ChangeAsync(customer, basic, new { status = "active" }, HttpStatusCode.OK);
        await ChangeAsync(customer, basic, new { autoRenew = true }, HttpStatusCode.OK);
        while (month < 7)
        {
            month = await NextMonthAsync(customer, start, month, day: 21);
        }
        await ChangeAsync(customer, basic, new { quantity = 10 }, HttpStatusCode.OK);
        await _emulator.AdvanceClockAsync(2);
        await ChangeAsync(customer, basic, new { quantity = 9 }, HttpStatusCode.OK);
        while (month < 12)
        {
            month = await NextMonthAsync(customer, start, month, day: 22); // month 12: the annual subscription has renewed
        }
        await ChangeAsync(customer, annual, new { quantity = 2 }, HttpStatusCode.OK); // inside the renewal's window

        Assert.Equal(["purchase", "changeQuantity", "changeQuantity", "suspend", "activate", "setAutoRenew", "changeQuantity", "changeQuantity"],
            (await KindsAsync(customer, basic)).Where(k => k != "renew"));
        Assert.Contains("renew", await KindsAsync(customer, basic));
        Assert.Equal(["purchase", "changeQuantity", "renew", "changeQuantity"], await KindsAsync(customer, annual));

        var (from, to) = (BillingApi.CycleMonth(start), BillingApi.CycleMonth(await _emulator.TodayAsync()));
        var stored = await app.CustomerReportsAsync(customer, from, to);
        var preview = await app.PreviewAsync(await app.ScenarioOfAsync(customer, from, to));
        Assert.Equal(13, stored.Count);
        BillingApi.AssertSameAsPreview(stored, preview);
        var lines = stored.SelectMany(r => BillingApi.LinesOf(r!)).ToList();
        Assert.Contains(lines, l => l["priceSource"]!.GetValue<string>() == "customer");
        Assert.Equal(2, lines.Count(l => l["subscriptionId"]!.GetValue<string>() == annual && l["type"]!.GetValue<string>() == "cycleFee"));
        Assert.DoesNotContain(lines, l => l["type"]!.GetValue<string>() == "correction");
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<string> BuyAsync(Guid customer, object order) =>
        (await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer}/o365/subscriptions", order)).ExpectAsync(HttpStatusCode.Created))!["id"]!.GetValue<string>();

    private async Task<List<string>> KindsAsync(Guid customer, string subscription) =>
        [.. (await (await app.Broker().GetAsync($"/api/v1/customers/{customer}/o365/subscriptions/{subscription}/events")).ExpectAsync(HttpStatusCode.OK))!
            .AsArray().Select(e => e!["kind"]!.GetValue<string>())];

    private async Task ChangeAsync(Guid customer, string subscription, object change, HttpStatusCode expected) =>
        await (await app.Broker().PatchAsync($"/api/v1/customers/{customer}/o365/subscriptions/{subscription}",
            new StringContent(System.Text.Json.JsonSerializer.Serialize(change, Json.Options), Encoding.UTF8, "application/json"))).ExpectAsync(expected);

    /// <summary>Moves the clock to <paramref name="day"/> of the month after <paramref name="month"/> (counted from the start) and lets Skyport learn of the renewals.</summary>
    private async Task<int> NextMonthAsync(Guid customer, DateOnly start, int month, int day)
    {
        var target = new DateOnly(start.Year, start.Month, day).AddMonths(month + 1);
        await _emulator.AdvanceClockAsync(target.DayNumber - (await _emulator.TodayAsync()).DayNumber);
        await (await app.Broker().PostAsync($"/api/v1/customers/{customer}/o365/subscriptions/reconcile", null)).ExpectAsync(HttpStatusCode.OK);
        return month + 1;
    }
}
