using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Skyport.Data;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Billing.Reports;

public sealed class StoredReportsOnSqlite(SqliteSkyport app) : StoredReportsApiTests(app), IClassFixture<SqliteSkyport>;

public sealed class StoredReportsOnPostgres(PostgresSkyport app) : StoredReportsApiTests(app), IClassFixture<PostgresSkyport>;

/// <summary>Reports of real subscriptions bought through the API agree to the cent with the preview of the same events.</summary>
public abstract class StoredReportsApiTests(SkyportApp app)
{
    [Fact]
    public async Task Without_a_range_the_report_is_last_month_the_last_closed_cycle_of_the_reseller()
    {
        var customer = await Shop.CustomerWithO365Async(app);
        var today = await new EmulatorControl(app).TodayAsync();
        // Fabrikam IT's cycles end on the 15th: the report dated the 16th of this month once it has come, else of the month before.
        var expected = today.Day >= 16 ? new DateOnly(today.Year, today.Month, 16) : new DateOnly(today.Year, today.Month, 16).AddMonths(-1);

        var customerReports = (await (await app.Broker().GetAsync($"/api/v1/customers/{customer}/billing/reports")).ExpectAsync(HttpStatusCode.OK))!["reports"]!.AsArray();
        var fabrikam = await Known.IdOfAsync(app, "Fabrikam IT");
        var resellerReports = (await (await app.Broker().GetAsync($"/api/v1/organizations/{fabrikam}/billing/reports")).ExpectAsync(HttpStatusCode.OK))!["reports"]!.AsArray();

        Assert.Equal(expected.ToString("yyyy-MM-dd"), customerReports.Single()!["billingDate"]!.GetValue<string>());
        Assert.Equal(expected.ToString("yyyy-MM-dd"), resellerReports.Single()!["billingDate"]!.GetValue<string>());
        Assert.Equal(expected.AddMonths(-1).ToString("yyyy-MM-dd"), customerReports.Single()!["periodStart"]!.GetValue<string>());
        Assert.True(customerReports.Single()!["issued"]!.GetValue<bool>());
        Assert.True(resellerReports.Single()!["issued"]!.GetValue<bool>());

        var open = (await (await app.Broker().GetAsync($"/api/v1/customers/{customer}/billing/reports?from={BillingApi.CycleMonth(today)}")).ExpectAsync(HttpStatusCode.OK))!["reports"]!.AsArray().Single()!;
        Assert.Equal(expected.AddMonths(1).ToString("yyyy-MM-dd"), open["billingDate"]!.GetValue<string>());
        Assert.False(open["issued"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_customers_report_equals_the_preview_of_its_stored_events()
    {
        await Shop.ImportCatalogAsync(app);
        var customer = await Shop.CustomerWithO365Async(app);
        var bought = await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer}/o365/subscriptions",
            new { offerId = Shop.BusinessBasic, quantity = 5, friendlyName = "Sales", purchaseOrderNumber = "PO-1" })).ExpectAsync(HttpStatusCode.Created);
        var subscriptionId = bought!["id"]!.GetValue<string>();
        await (await app.Broker().PatchAsync($"/api/v1/customers/{customer}/o365/subscriptions/{subscriptionId}",
            JsonContent("""{ "quantity": 7 }"""))).ExpectAsync(HttpStatusCode.OK);

        var month = DateTime.UtcNow.ToString("yyyy-MM");
        var next = DateTime.UtcNow.AddMonths(1).ToString("yyyy-MM");
        var stored = await (await app.Broker().GetAsync($"/api/v1/customers/{customer}/billing/reports?from={month}&to={next}")).ExpectAsync(HttpStatusCode.OK);

        var preview = await (await app.Broker().PostAsync("/api/v1/billing/preview", JsonContent((await app.ScenarioOfAsync(customer, month, next)).ToJsonString()))).ExpectAsync(HttpStatusCode.OK);
        var storedReports = stored!["reports"]!.AsArray();
        Assert.Contains(storedReports, r => r!["subscriptions"]!.AsArray().Count > 0);
        BillingApi.AssertSameAsPreview(storedReports, preview!["reports"]!.AsArray());
        var line = storedReports.SelectMany(r => r!["subscriptions"]!.AsArray()).First()!;
        Assert.Equal("Sales", line["friendlyName"]!.GetValue<string>());
        Assert.Equal("PO-1", line["purchaseOrderNumber"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_reseller_sees_its_customers_grouped_and_exports_them_and_others_get_404()
    {
        await Shop.ImportCatalogAsync(app);
        var customer = await Shop.CustomerWithO365Async(app);
        await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer}/o365/subscriptions", new { offerId = Shop.BusinessBasic, quantity = 3 })).ExpectAsync(HttpStatusCode.Created);
        var fabrikam = await Known.IdOfAsync(app, "Fabrikam IT");
        var reseller = await app.As(DemoData.Reseller.Email);
        var month = DateTime.UtcNow.ToString("yyyy-MM");
        var next = DateTime.UtcNow.AddMonths(1).ToString("yyyy-MM"); // a purchase after the 15th falls in next month's cycle

        var reports = await (await reseller.GetAsync($"/api/v1/organizations/{fabrikam}/billing/reports?from={month}&to={next}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, reports!["reports"]!.AsArray().Count);
        var customers = reports!["reports"]!.AsArray().SelectMany(r => r!["customers"]!.AsArray()).ToList();
        Assert.Contains(customers, c => c!["customerId"]!.GetValue<Guid>() == customer);
        var resellerLine = customers.SelectMany(c => c!["subscriptions"]!.AsArray()).SelectMany(x => x!["lines"]!.AsArray()).First()!;
        Assert.Null(resellerLine["cost"]);
        Assert.Null(resellerLine["margin"]);

        // The broker sees Microsoft's cost and the margin beside each line.
        var brokerReports = await (await app.Broker().GetAsync($"/api/v1/organizations/{fabrikam}/billing/reports?from={month}&to={next}")).ExpectAsync(HttpStatusCode.OK);
        var brokerLine = brokerReports!["reports"]!.AsArray().SelectMany(r => r!["customers"]!.AsArray())
            .Where(c => c!["customerId"]!.GetValue<Guid>() == customer)
            .SelectMany(c => c!["subscriptions"]!.AsArray()).SelectMany(x => x!["lines"]!.AsArray()).First()!;
        var amount = brokerLine["amount"]!.GetValue<decimal>();
        var cost = brokerLine["cost"]!.GetValue<decimal>();
        Assert.InRange(cost, 0.01m, amount);
        Assert.Equal(amount - cost, brokerLine["margin"]!.GetValue<decimal>());

        var csv = await reseller.GetAsync($"/api/v1/organizations/{fabrikam}/billing/reports/export?from={month}&to={next}&format=csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var text = await csv.Content.ReadAsStringAsync();
        Assert.StartsWith("Billing date,Period start", text.TrimStart('\uFEFF'));
        Assert.Contains(",cycleFee,", text.Replace(",proRata,", ",cycleFee,"));
        var xlsx = await reseller.GetAsync($"/api/v1/organizations/{fabrikam}/billing/reports/export?from={month}&to={next}&format=xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal((byte)'P', (await xlsx.Content.ReadAsByteArrayAsync())[0]);

        var other = await app.AnotherResellerAsync();
        await (await other.GetAsync($"/api/v1/organizations/{fabrikam}/billing/reports")).ExpectAsync(HttpStatusCode.NotFound);
        await (await other.GetAsync($"/api/v1/customers/{customer}/billing/reports")).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("from=2025-13", "from")]
    [InlineData("from=2025-05&to=2025-04", "to")]
    [InlineData("from=2000-01&to=2025-01", "to")]
    [InlineData("format=pdf", "format")]
    public async Task Bad_ranges_and_formats_are_named(string query, string field)
    {
        var fabrikam = await Known.IdOfAsync(app, "Fabrikam IT");
        var path = query.StartsWith("format") ? "billing/reports/export" : "billing/reports";
        var problem = await (await app.Broker().GetAsync($"/api/v1/organizations/{fabrikam}/{path}?{query}")).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains(field, problem!["errors"]!.AsObject().Select(e => e.Key));
    }

    private static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");
}
