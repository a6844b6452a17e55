using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Billing.Rating;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Subscriptions;

public sealed class UpgradeApiOnSqlite(SqliteSkyport app) : UpgradeApiTests(app), IClassFixture<SqliteSkyport>;

public sealed class UpgradeApiOnPostgres(PostgresSkyport app) : UpgradeApiTests(app), IClassFixture<PostgresSkyport>;

/// <summary>Upgrades (R11) through the API, against the emulator's transitions.</summary>
public abstract class UpgradeApiTests(SkyportApp app) : IAsyncLifetime
{
    private readonly EmulatorControl _emulator = new(app);

    public Task InitializeAsync() => Shop.ImportCatalogAsync(app);

    public Task DisposeAsync() => _emulator.ClearFaultsAsync();

    private static string Url(Guid customer, string rest = "") => $"/api/v1/customers/{customer}/o365/subscriptions{rest}";

    private async Task<Guid> BuyAsync(Guid customer, int quantity, string offerId = Shop.BusinessBasic) =>
        (await (await app.Broker().PostJsonAsync(Url(customer), new { offerId, quantity })).ExpectAsync(HttpStatusCode.Created))!["id"]!.GetValue<Guid>();

    private async Task<JsonNode> GetAsync(Guid customer, Guid id) =>
        (await (await app.Broker().GetAsync(Url(customer, $"/{id}"))).ExpectAsync(HttpStatusCode.OK))!;

    private async Task<JsonArray> EventsAsync(Guid customer, Guid id) =>
        (await (await app.Broker().GetAsync(Url(customer, $"/{id}/events"))).ExpectAsync(HttpStatusCode.OK))!.AsArray();

    private async Task<JsonNode> PartnerCenterAsync(Guid id) =>
        (await _emulator.SubscriptionsAsync()).Single(s => s["id"]!.GetValue<Guid>() == id);

    private async Task<HttpResponseMessage> UpgradeAsync(Guid customer, Guid id, object body, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url(customer, $"/{id}/upgrade"))
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(body, Json.Options), Encoding.UTF8, "application/json"),
        };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return await app.Broker().SendAsync(request);
    }

    private async Task<Guid> LicensedUserAsync(Guid customer, Guid subscription, string userName)
    {
        var user = (await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer}/o365/users", new
        {
            firstName = "Ula",
            lastName = "Upgrade",
            userName,
            generatePassword = true,
            sendCredentialsTo = "it@upgrade.example",
        })).ExpectAsync(HttpStatusCode.Created))!["id"]!.GetValue<Guid>();
        await app.Broker().RunJobAsync($"/api/v1/customers/{customer}/o365/users/subscribe", new { userIds = new[] { user }, subscriptionIds = new[] { subscription } });
        return user;
    }

    private async Task<IReadOnlyList<Guid>> LicensesOfAsync(Guid customer, Guid user)
    {
        var page = (await (await app.Broker().GetAsync($"/api/v1/customers/{customer}/o365/users?pageSize=100")).ExpectAsync(HttpStatusCode.OK))!;
        return [.. page["items"]!.AsArray().Single(u => u!["id"]!.GetValue<Guid>() == user)!["subscriptionIds"]!.AsArray().Select(s => s!.GetValue<Guid>())];
    }

    [Fact]
    public async Task Upgrades_lists_only_the_eligible_offers_sold_here_with_their_price_and_the_cost_of_the_change()
    {
        var customer = await Shop.CustomerWithO365Async(app);
        var id = await BuyAsync(customer, 3);
        var source = await GetAsync(customer, id);

        var offers = (await (await app.Broker().GetAsync(Url(customer, $"/{id}/upgrades"))).ExpectAsync(HttpStatusCode.OK))!.AsArray();

        var ids = offers.Select(o => o!["offerId"]!.GetValue<string>()).ToList();
        Assert.Contains(Shop.BusinessStandard, ids, StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain(Shop.BusinessBasic, ids, StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain(Shop.ExchangeArchiving, ids, StringComparer.OrdinalIgnoreCase);
        var standard = offers.Single(o => o!["offerId"]!.GetValue<string>().Equals(Shop.BusinessStandard, StringComparison.OrdinalIgnoreCase))!;
        Assert.Equal(3, standard["quantity"]!.GetValue<int>());
        Assert.Equal("global", standard["priceSource"]!.GetValue<string>());
        Assert.True(standard["unitPrice"]!.GetValue<decimal>() > source["unitPrice"]!.GetValue<decimal>());
        var (refund, charge, net) = (standard["refund"]!.GetValue<decimal>(), standard["charge"]!.GetValue<decimal>(), standard["net"]!.GetValue<decimal>());
        Assert.True(refund < 0 && charge > -refund);
        Assert.Equal(charge + refund, net);

        var one = (await (await app.Broker().GetAsync(Url(customer, $"/{id}/upgrades?quantity=1"))).ExpectAsync(HttpStatusCode.OK))!.AsArray()
            .Single(o => o!["offerId"]!.GetValue<string>().Equals(Shop.BusinessStandard, StringComparison.OrdinalIgnoreCase))!;
        Assert.True(Math.Abs(one["charge"]!.GetValue<decimal>() * 3 - charge) <= 0.02m);
        await (await app.Broker().GetAsync(Url(customer, $"/{id}/upgrades?quantity=4"))).ExpectAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_full_upgrade_with_licenses_moves_every_seat_and_license_and_both_histories_show_it_as_billing_rates_it()
    {
        var customer = await Shop.CustomerWithO365Async(app);
        var id = await BuyAsync(customer, 2);
        var user = await LicensedUserAsync(customer, id, "ula");
        Assert.Equal([id], await LicensesOfAsync(customer, user));

        var target = (await (await UpgradeAsync(customer, id, new { toOfferId = Shop.BusinessStandard, quantity = 2, transferLicenses = true }))
            .ExpectAsync(HttpStatusCode.Created))!;

        var targetId = target["id"]!.GetValue<Guid>();
        Assert.NotEqual(id, targetId);
        Assert.Equal(Shop.BusinessStandard, target["offerId"]!.GetValue<string>(), StringComparer.OrdinalIgnoreCase);
        Assert.Equal(2, target["quantity"]!.GetValue<int>());
        Assert.Equal(1, target["consumedQuantity"]!.GetValue<int>());
        var source = await GetAsync(customer, id);
        Assert.Equal("cancelled", source["status"]!.GetValue<string>());
        Assert.Equal(0, source["quantity"]!.GetValue<int>());
        Assert.Equal("deleted", (await PartnerCenterAsync(id))["status"]!.GetValue<string>());
        Assert.Equal(2, (await PartnerCenterAsync(targetId))["quantity"]!.GetValue<int>());
        Assert.Equal([targetId], await LicensesOfAsync(customer, user));

        var upgrade = (await EventsAsync(customer, id)).Last()!;
        Assert.Equal("upgrade", upgrade["kind"]!.GetValue<string>());
        Assert.Equal((2, 0), (upgrade["quantityBefore"]!.GetValue<int>(), upgrade["quantityAfter"]!.GetValue<int>()));
        Assert.Equal(targetId, upgrade["relatedSubscriptionId"]!.GetValue<Guid>());
        var into = Assert.Single(await EventsAsync(customer, targetId))!;
        Assert.Equal("upgradeInto", into["kind"]!.GetValue<string>());
        Assert.Equal((0, 2), (into["quantityBefore"]!.GetValue<int>(), into["quantityAfter"]!.GetValue<int>()));
        Assert.Equal(id, into["relatedSubscriptionId"]!.GetValue<Guid>());

        // The stored events rate as R11: a refund on the source and a pro-rata charge on the target for the same days.
        var (subscriptions, events) = await app.InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<SkyportDbContext>();
            return (await db.O365Subscriptions.Where(x => x.OrganizationId == customer).ToListAsync(),
                await db.SubscriptionEvents.Where(e => e.OrganizationId == customer).ToListAsync());
        });
        var month = BillingMonth.Of(Utc.DateOf(events.Min(e => e.At)));
        var prices = subscriptions.Select(x => new PriceEntry(x.OfferId, TermDuration.P1M, BillingFrequency.Monthly, x.UnitPrice, new DateOnly(2000, 1, 1))).ToArray();
        var rated = RatingEngine.Rate(new RatingInput(31, "EUR", PriceLists.GlobalOnly(prices),
            [.. subscriptions.Select(x => x.ToPlan(true))], [.. events.OrderBy(e => e.At).Select(e => e.ToRatingEvent()).OfType<SubscriptionEvent>()], month, month));
        Assert.Empty(rated.Rejected);
        var lines = rated.Reports.SelectMany(r => r.Subscriptions).ToLookup(c => c.SubscriptionId, c => c.Lines);
        var sourceRefund = Assert.Single(lines[id.ToString()].SelectMany(l => l), l => l.Type == LineType.Refund);
        var targetCharge = Assert.Single(lines[targetId.ToString()].SelectMany(l => l), l => l.Type == LineType.ProRata);
        Assert.Equal((sourceRefund.PeriodStart, sourceRefund.PeriodEnd), (targetCharge.PeriodStart, targetCharge.PeriodEnd));
        Assert.Equal(2, targetCharge.Quantity);
    }

    [Fact]
    public async Task A_partial_upgrade_leaves_the_source_with_its_other_seats()
    {
        var customer = await Shop.CustomerWithO365Async(app);
        var id = await BuyAsync(customer, 3);

        var target = (await (await UpgradeAsync(customer, id, new { toOfferId = Shop.BusinessStandard, quantity = 1 })).ExpectAsync(HttpStatusCode.Created))!;

        Assert.Equal(1, target["quantity"]!.GetValue<int>());
        var source = await GetAsync(customer, id);
        Assert.Equal(("active", 2), (source["status"]!.GetValue<string>(), source["quantity"]!.GetValue<int>()));
        Assert.Equal(2, (await PartnerCenterAsync(id))["quantity"]!.GetValue<int>());
        Assert.Equal(source["renewalDate"]!.GetValue<string>(), target["renewalDate"]!.GetValue<string>());
        var list = (await (await app.Broker().GetAsync(Url(customer))).ExpectAsync(HttpStatusCode.OK))!;
        Assert.Equal(2, list["total"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(null, 1, "toOfferId")]
    [InlineData(Shop.BusinessStandard, 0, "quantity")]
    [InlineData(Shop.BusinessStandard, 4, "quantity")]
    [InlineData(Shop.ExchangeArchiving, 1, "toOfferId")]
    [InlineData(Shop.BusinessBasic, 1, "toOfferId")]
    [InlineData("no-such-offer", 1, "toOfferId")]
    public async Task Bad_input_gets_a_problem_naming_the_field_and_changes_nothing(string? toOfferId, int quantity, string field)
    {
        var customer = await Shop.CustomerWithO365Async(app);
        var id = await BuyAsync(customer, 3);

        var problem = (await (await UpgradeAsync(customer, id, new { toOfferId, quantity, transferLicenses = true })).ExpectAsync(HttpStatusCode.BadRequest))!;

        Assert.NotNull(problem["errors"]![field]);
        await NothingChangedAsync(customer, id, 3);
    }

    [Fact]
    public async Task A_suspended_source_is_refused_and_nothing_changes()
    {
        var customer = await Shop.CustomerWithO365Async(app);
        var id = await BuyAsync(customer, 2);
        await (await app.Broker().PatchAsync(Url(customer, $"/{id}"), new StringContent("""{"status":"suspended"}""", Encoding.UTF8, "application/json"))).ExpectAsync(HttpStatusCode.OK);

        var problem = (await (await UpgradeAsync(customer, id, new { toOfferId = Shop.BusinessStandard, quantity = 1 })).ReadJsonAsync());

        Assert.Contains("suspended", problem["detail"]!.GetValue<string>());
        Assert.Empty((await (await app.Broker().GetAsync(Url(customer, $"/{id}/upgrades"))).ExpectAsync(HttpStatusCode.OK))!.AsArray());
        Assert.Empty((await PartnerCenterAsync(id))["transitions"]!.AsArray());
        Assert.Equal(2, (await GetAsync(customer, id))["quantity"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_same_idempotency_key_twice_upgrades_once()
    {
        var customer = await Shop.CustomerWithO365Async(app);
        var id = await BuyAsync(customer, 3);
        var key = Guid.NewGuid().ToString();
        var body = new { toOfferId = Shop.BusinessStandard, quantity = 1 };

        var first = (await (await UpgradeAsync(customer, id, body, key)).ExpectAsync(HttpStatusCode.Created))!;
        var second = (await (await UpgradeAsync(customer, id, body, key)).ExpectAsync(HttpStatusCode.Created))!;

        Assert.Equal(first["id"]!.GetValue<Guid>(), second["id"]!.GetValue<Guid>());
        Assert.Single((await PartnerCenterAsync(id))["transitions"]!.AsArray());
        Assert.Equal(2, (await GetAsync(customer, id))["quantity"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_upgrade_whose_answer_was_lost_is_completed_by_its_retry_and_made_once()
    {
        var customer = await app.CustomerWithTenantAsync();
        var id = await BuyAsync(customer.Id, 3);
        var key = Guid.NewGuid().ToString();
        var body = new { toOfferId = Shop.BusinessStandard, quantity = 2 };
        // Partner Center makes the transition but every answer to it is lost, the resilience pipeline's retries included.
        await _emulator.InjectAsync(new { method = "POST", pathPattern = $"/v1/customers/{customer.TenantId}/subscriptions/{id}/transitions", kind = "drop", rate = 1.0, times = 20 });

        await (await UpgradeAsync(customer.Id, id, body, key)).ExpectAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Single((await PartnerCenterAsync(id))["transitions"]!.AsArray());

        await _emulator.ClearFaultsAsync();
        var target = (await (await UpgradeAsync(customer.Id, id, body, key)).ExpectAsync(HttpStatusCode.Created))!;

        var transition = Assert.Single((await PartnerCenterAsync(id))["transitions"]!.AsArray())!;
        Assert.Equal(transition["toSubscriptionId"]!.GetValue<Guid>(), target["id"]!.GetValue<Guid>());
        Assert.Equal(1, (await GetAsync(customer.Id, id))["quantity"]!.GetValue<int>());
        Assert.Single(await EventsAsync(customer.Id, id), e => e!["kind"]!.GetValue<string>() == "upgrade");
        Assert.DoesNotContain(await EventsAsync(customer.Id, id), e => e!["kind"]!.GetValue<string>() is "changeQuantity");
        Assert.Single(await EventsAsync(customer.Id, target["id"]!.GetValue<Guid>()));
    }

    private async Task NothingChangedAsync(Guid customer, Guid id, int quantity)
    {
        Assert.Equal(quantity, (await GetAsync(customer, id))["quantity"]!.GetValue<int>());
        var pc = await PartnerCenterAsync(id);
        Assert.Equal(quantity, pc["quantity"]!.GetValue<int>());
        Assert.Empty(pc["transitions"]!.AsArray());
        Assert.Single(await EventsAsync(customer, id));
        Assert.Equal(1, (await (await app.Broker().GetAsync(Url(customer))).ExpectAsync(HttpStatusCode.OK))!["total"]!.GetValue<int>());
    }
}
