using System.Net;
using System.Text.Json;

namespace Skyport.Emulator.Tests;

public sealed class ClockFixture : EmulatorFixture;

/// <summary>A year on the emulator's clock: renewals on the right days, cycle charges and monthly invoices.</summary>
public sealed class ClockTests(ClockFixture emulator) : IClassFixture<ClockFixture>
{
    [Fact]
    public async Task A_year_of_clock_advance_renews_monthly_and_annual_subscriptions_on_the_right_days_and_invoices_them()
    {
        await emulator.SendAsync(HttpMethod.Put, "/_emulator/clock", new { now = "2026-01-10T09:00:00Z" });
        var (customerId, _, _) = await emulator.CreateCustomerAsync("year");
        var monthly = await emulator.BuyAsync(customerId, Catalog.BusinessBasic, 2, "P1M", "Monthly");
        var annual = await emulator.BuyAsync(customerId, Catalog.BusinessPremium, 1, "P1Y", "Annual");
        var annualBilledMonthly = await emulator.BuyAsync(customerId, Catalog.PowerBiPro, 1, "P1Y", "Monthly");
        var lapsing = await emulator.BuyAsync(customerId, Catalog.BusinessBasic, 1, "P1M", "Monthly");
        await emulator.PatchAsync($"/v1/customers/{customerId}/subscriptions/{lapsing}", new { autoRenewEnabled = false });

        var (_, before) = await emulator.GetAsync($"/v1/customers/{customerId}/subscriptions/{monthly}");
        Assert.Equal(new DateTime(2026, 2, 9), before.GetProperty("commitmentEndDate").GetDateTime().Date);

        // The last day of the term is still the old term; the renewal happens at 00:00 UTC the next day.
        await emulator.SendAsync(HttpMethod.Put, "/_emulator/clock", new { now = "2026-02-09T23:59:00Z" });
        Assert.Equal(new DateTime(2026, 2, 9), (await emulator.GetAsync($"/v1/customers/{customerId}/subscriptions/{monthly}")).Body.GetProperty("commitmentEndDate").GetDateTime().Date);
        await emulator.SendAsync(HttpMethod.Put, "/_emulator/clock", new { now = "2026-02-10T00:01:00Z" });
        Assert.Equal(new DateTime(2026, 3, 9), (await emulator.GetAsync($"/v1/customers/{customerId}/subscriptions/{monthly}")).Body.GetProperty("commitmentEndDate").GetDateTime().Date);
        Assert.Equal("expired", (await emulator.GetAsync($"/v1/customers/{customerId}/subscriptions/{lapsing}")).Body.GetProperty("status").GetString());

        var (advanced, clock) = await emulator.PostAsync("/_emulator/clock/advance", new { days = 334, hours = 9 });
        Assert.Equal(HttpStatusCode.OK, advanced.StatusCode);
        Assert.Equal(new DateTime(2027, 1, 10), clock.GetProperty("now").GetDateTime().Date);

        var (_, m) = await emulator.GetAsync($"/v1/customers/{customerId}/subscriptions/{monthly}");
        Assert.Equal(new DateTime(2027, 1, 10), m.GetProperty("effectiveStartDate").GetDateTime().Date);
        Assert.Equal(new DateTime(2027, 2, 9), m.GetProperty("commitmentEndDate").GetDateTime().Date);
        var (_, a) = await emulator.GetAsync($"/v1/customers/{customerId}/subscriptions/{annual}");
        Assert.Equal(new DateTime(2027, 1, 10), a.GetProperty("effectiveStartDate").GetDateTime().Date);
        Assert.Equal(new DateTime(2028, 1, 9), a.GetProperty("commitmentEndDate").GetDateTime().Date);
        Assert.Equal("active", a.GetProperty("status").GetString());

        var lines = await AllLineItemsAsync();
        string[] Dates(Guid id, string type) => lines
            .Where(l => l.GetProperty("subscriptionId").GetGuid() == id && l.GetProperty("chargeType").GetString() == type)
            .Select(l => l.GetProperty("chargeStartDate").GetDateTime().ToString("yyyy-MM-dd")).Order().ToArray();

        Assert.Equal(Enumerable.Range(1, 12).Select(i => new DateTime(2026, 1, 10).AddMonths(i).ToString("yyyy-MM-dd")).Take(11).ToArray(), Dates(monthly, "renew"));
        Assert.Empty(Dates(annual, "renew")); // renewed on 2027-01-10: not invoiced before 2027-02-08
        Assert.Equal(Enumerable.Range(1, 11).Select(i => new DateTime(2026, 1, 10).AddMonths(i).ToString("yyyy-MM-dd")).ToArray(), Dates(annualBilledMonthly, "cycleCharge"));
        var firstAnnual = lines.Single(l => l.GetProperty("subscriptionId").GetGuid() == annual && l.GetProperty("chargeType").GetString() == "new");
        Assert.Equal(22.00m * 12, firstAnnual.GetProperty("subtotal").GetDecimal());
        Assert.Equal("2027-01-09", firstAnnual.GetProperty("chargeEndDate").GetDateTime().ToString("yyyy-MM-dd"));

        var (_, invoices) = await emulator.GetAsync("/v1/invoices");
        Assert.Equal(12, invoices.GetProperty("totalCount").GetInt32());
        var january = invoices.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("invoiceDate").GetDateTime().Date == new DateTime(2026, 2, 8));
        Assert.Equal(new DateTime(2026, 1, 1), january.GetProperty("billingPeriodStartDate").GetDateTime().Date);
        Assert.Equal(new DateTime(2026, 1, 31), january.GetProperty("billingPeriodEndDate").GetDateTime().Date);
        Assert.Equal("USD", january.GetProperty("currencyCode").GetString());
    }

    private async Task<List<JsonElement>> AllLineItemsAsync()
    {
        var (_, invoices) = await emulator.GetAsync("/v1/invoices");
        var lines = new List<JsonElement>();
        foreach (var invoice in invoices.GetProperty("items").EnumerateArray())
        {
            var path = $"/v1/invoices/{invoice.GetProperty("id").GetString()}/lineitems?provider=onetime&invoicelineitemtype=billinglineitems&size=3";
            var headers = new Dictionary<string, string>();
            while (true)
            {
                var (response, page) = await emulator.SendAsync(HttpMethod.Get, path, null, headers);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                lines.AddRange(page.GetProperty("items").EnumerateArray());
                if (!page.GetProperty("links").TryGetProperty("next", out var next)) break;
                path = "/v1" + next.GetProperty("uri").GetString();
                headers = new Dictionary<string, string> { ["MS-ContinuationToken"] = next.GetProperty("headers")[0].GetProperty("value").GetString()! };
            }
        }
        Assert.All(lines, l => Assert.Equal("OneTimeInvoiceLineItem", l.GetProperty("attributes").GetProperty("objectType").GetString()));
        return lines;
    }
}
