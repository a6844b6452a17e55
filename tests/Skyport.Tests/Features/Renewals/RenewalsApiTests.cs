using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Email;
using Skyport.Features.Renewals;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Renewals;

public sealed class RenewalsApiOnSqlite(SqliteSkyport app) : RenewalsApiTests(app), IClassFixture<SqliteSkyport>;

public sealed class RenewalsApiOnPostgres(PostgresSkyport app) : RenewalsApiTests(app), IClassFixture<PostgresSkyport>;

public abstract class RenewalsApiTests(SkyportApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => Shop.ImportCatalogAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(Guid Customer, string Name, JsonNode Subscription)> CustomerWithSubscriptionAsync(int quantity)
    {
        var customer = await Shop.CustomerWithO365Async(app);
        var name = (await (await app.Broker().GetAsync($"/api/v1/organizations/{customer}")).ExpectAsync(HttpStatusCode.OK))!["name"]!.GetValue<string>();
        var bought = await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer}/o365/subscriptions",
            new { offerId = Shop.BusinessBasic, quantity, friendlyName = "Front desk" })).ExpectAsync(HttpStatusCode.Created);
        return (customer, name, bought!);
    }

    private async Task<JsonNode> RenewalsAsync(HttpClient client, Guid organization, int days = 30) =>
        (await (await client.GetAsync($"/api/v1/organizations/{organization}/renewals?days={days}")).ExpectAsync(HttpStatusCode.OK))!;

    [Fact]
    public async Task A_subscription_is_listed_for_its_customer_and_reseller_with_its_scheduled_changes_extended_term_or_end()
    {
        var (customer, name, subscription) = await CustomerWithSubscriptionAsync(quantity: 4);
        var id = subscription["id"]!.GetValue<Guid>();
        var unit = subscription["unitPrice"]!.GetValue<decimal>();
        var termEnd = subscription["renewalDate"]!.GetValue<string>();

        var renewals = await RenewalsAsync(app.Broker(), customer);
        var item = Assert.Single(renewals["items"]!.AsArray())!;
        Assert.Equal(id, item["subscriptionId"]!.GetValue<Guid>());
        Assert.Equal(name, item["customer"]!.GetValue<string>());
        Assert.Equal("Front desk (Microsoft 365 Business Basic)", item["subscription"]!.GetValue<string>());
        Assert.Equal(termEnd, item["termEnd"]!.GetValue<string>());
        Assert.Equal("renews", item["action"]!.GetValue<string>());
        Assert.Equal(4, item["quantityAfter"]!.GetValue<int>());
        Assert.Equal(unit * 4, item["monthlyBefore"]!.GetValue<decimal>());
        Assert.Equal(unit * 4, item["monthlyAfter"]!.GetValue<decimal>());

        var fabrikam = await Known.IdOfAsync(app, "Fabrikam IT");
        var reseller = await RenewalsAsync(await app.As(DemoData.Reseller.Email), fabrikam);
        Assert.Contains(reseller["items"]!.AsArray(), i => i!["subscriptionId"]!.GetValue<Guid>() == id);

        var url = $"/api/v1/customers/{customer}/o365/subscriptions/{id}";
        await (await app.Broker().PutAsync($"{url}/renewal", JsonContent.Create(new { quantity = 2 }))).ExpectAsync(HttpStatusCode.OK);
        var scheduled = Assert.Single((await RenewalsAsync(app.Broker(), customer))["items"]!.AsArray())!;
        Assert.Equal("renewsWithChanges", scheduled["action"]!.GetValue<string>());
        Assert.Equal("quantity 4 → 2", scheduled["changes"]!.GetValue<string>());
        Assert.Equal(2, scheduled["quantityAfter"]!.GetValue<int>());
        Assert.Equal(unit * 2, scheduled["monthlyAfter"]!.GetValue<decimal>());

        await (await app.Broker().PatchAsync(url, JsonContent.Create(new { endOfTermAction = "extend" }))).ExpectAsync(HttpStatusCode.OK);
        var extended = Assert.Single((await RenewalsAsync(app.Broker(), customer))["items"]!.AsArray())!;
        Assert.Equal("entersExtendedTerm", extended["action"]!.GetValue<string>());
        // A month-to-month subscription's extended term costs its monthly price plus 3 %, rounded once per seat.
        Assert.Equal(Math.Round(unit * 1.03m, 2, MidpointRounding.AwayFromZero) * 4, extended["monthlyAfter"]!.GetValue<decimal>());

        await (await app.Broker().PatchAsync(url, JsonContent.Create(new { endOfTermAction = "cancel" }))).ExpectAsync(HttpStatusCode.OK);
        var lapses = Assert.Single((await RenewalsAsync(app.Broker(), customer))["items"]!.AsArray())!;
        Assert.Equal("lapses", lapses["action"]!.GetValue<string>());
        Assert.Equal(0m, lapses["monthlyAfter"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task The_window_leaves_out_terms_that_end_later_and_a_bad_window_is_refused_by_name()
    {
        var (customer, _, subscription) = await CustomerWithSubscriptionAsync(quantity: 1);
        var today = DateOnly.Parse((await RenewalsAsync(app.Broker(), customer))["today"]!.GetValue<string>());
        var termEnd = DateOnly.Parse(subscription["renewalDate"]!.GetValue<string>());
        var daysLeft = termEnd.DayNumber - today.DayNumber;
        if (daysLeft > 1)
        {
            Assert.Empty((await RenewalsAsync(app.Broker(), customer, days: daysLeft - 1))["items"]!.AsArray());
        }
        Assert.Single((await RenewalsAsync(app.Broker(), customer, days: Math.Max(1, daysLeft)))["items"]!.AsArray());

        foreach (var days in new[] { "0", "367", "soon" })
        {
            var problem = await (await app.Broker().GetAsync($"/api/v1/organizations/{customer}/renewals?days={days}")).ExpectAsync(HttpStatusCode.BadRequest);
            Assert.Contains("from 1 to 366", problem!["errors"]!["days"]![0]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task The_export_is_a_csv_of_the_same_renewals()
    {
        var (customer, name, subscription) = await CustomerWithSubscriptionAsync(quantity: 2);
        var response = await app.Broker().GetAsync($"/api/v1/organizations/{customer}/renewals/export?days=30");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("termEnd,customer,subscription,offerId,action,changes,quantityBefore,quantityAfter,monthlyBefore,monthlyAfter", lines[0]);
        var row = Assert.Single(lines[1..]);
        Assert.StartsWith($"{subscription["renewalDate"]!.GetValue<string>()},{name},Front desk (Microsoft 365 Business Basic),", row);
        Assert.Contains(",renews,,2,2,", row);
    }

    [Fact]
    public async Task Administrators_are_told_once_about_a_term_ending_within_30_days()
    {
        var adminEmail = $"admin-{Guid.NewGuid():N}@renewals.example";
        var customer = await A.Customer().WithAdministrator(adminEmail).CreateAsync(app);
        await app.AddO365Async(customer, "r" + Guid.NewGuid().ToString("N")[..12]);
        await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer}/o365/subscriptions",
            new { offerId = Shop.BusinessBasic, quantity = 3, friendlyName = "Warehouse" })).ExpectAsync(HttpStatusCode.Created);

        await app.InScopeAsync(s => s.GetRequiredService<RenewalNotices>().SendDueAsync(s, CancellationToken.None));
        var first = await EmailsToAsync(adminEmail);
        var email = Assert.Single(first);
        Assert.Contains("Warehouse (Microsoft 365 Business Basic), 3 seats: the term ends on", email.Body);
        Assert.Contains("It renews for a new term", email.Body);
        Assert.Contains(await EmailsToAsync(DemoData.Reseller.Email), m => m.Body.Contains("Warehouse (Microsoft 365 Business Basic), 3 seats"));

        await app.InScopeAsync(s => s.GetRequiredService<RenewalNotices>().SendDueAsync(s, CancellationToken.None));
        Assert.Single(await EmailsToAsync(adminEmail));
    }

    private Task<List<EmailMessage>> EmailsToAsync(string to) => app.InScopeAsync(async s =>
    {
        var protection = s.GetRequiredService<OutboxProtection>();
        var rows = await s.GetRequiredService<SkyportDbContext>().Outbox.AsNoTracking().Where(m => m.To == to).ToListAsync();
        return rows.Select(protection.Open).Where(m => m.Subject.Contains("term end")).ToList();
    });
}
