using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Skyport.Tests.Infrastructure;
using Skyport.Web;

namespace Skyport.Tests.Features.Subscriptions;

public sealed class SlowPartnerCenterOnSqlite(SqliteSkyport app) : SlowPartnerCenterTests(app), IClassFixture<SqliteSkyport>;

public sealed class SlowPartnerCenterOnPostgres(PostgresSkyport app) : SlowPartnerCenterTests(app), IClassFixture<PostgresSkyport>;

/// <summary>
/// Partner Center as Microsoft documents it when it takes time: an order stays pending for a while, and a subscription
/// change may be answered 202 and land later. The buyer sees "pending" and then the subscription; nothing is bought twice.
/// </summary>
public abstract class SlowPartnerCenterTests(SkyportApp app) : IAsyncLifetime
{
    private readonly EmulatorControl _emulator = new(app);

    public Task InitializeAsync() => Shop.ImportCatalogAsync(app);

    public Task DisposeAsync() => _emulator.SettingsAsync(new { orderPendingSeconds = 0, patchAcceptedRate = 0 });

    private static string Url(Guid customer, string rest = "") => $"/api/v1/customers/{customer}/o365/subscriptions{rest}";

    private Task<HttpResponseMessage> BuyAsync(Guid customer, string key, int quantity = 2)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Url(customer))
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new { offerId = Shop.BusinessBasic, quantity, friendlyName = "Sales", purchaseOrderNumber = "PO-9" }, Json.Options)),
        };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(Idempotency.Header, key);
        return app.Broker().SendAsync(request);
    }

    private async Task<IReadOnlyList<JsonNode>> PartnerCenterSubscriptionsAsync(TenantCustomer customer) =>
        [.. (await _emulator.SubscriptionsAsync()).Where(s => s["tenantId"]!.GetValue<Guid>() == customer.TenantId)];

    private async Task<JsonArray> EventsAsync(Guid customer, Guid id) =>
        (await (await app.Broker().GetAsync(Url(customer, $"/{id}/events"))).ExpectAsync(HttpStatusCode.OK))!.AsArray();

    private async Task<JsonNode> SubscriptionAsync(Guid customer, Guid id) =>
        (await (await app.Broker().GetAsync(Url(customer, $"/{id}"))).ExpectAsync(HttpStatusCode.OK))!;

    [Fact]
    public async Task A_purchase_whose_order_is_pending_is_answered_202_shown_pending_unbilled_and_becomes_active_when_Partner_Center_completes_it()
    {
        await _emulator.SettingsAsync(new { orderPendingSeconds = 600 });
        var customer = await app.CustomerWithTenantAsync();
        var key = Guid.NewGuid().ToString();
        var ordered = await _emulator.NowAsync();

        var first = await BuyAsync(customer.Id, key);
        var pending = (await first.ExpectAsync(HttpStatusCode.Accepted))!;
        var id = pending["id"]!.GetValue<Guid>();
        Assert.Equal("pending", pending["status"]!.GetValue<string>());
        Assert.Equal(Url(customer.Id, $"/{id}"), first.Headers.Location!.OriginalString);
        var list = (await (await app.Broker().GetAsync(Url(customer.Id))).ExpectAsync(HttpStatusCode.OK))!;
        Assert.Equal("pending", Assert.Single(list["items"]!.AsArray())!["status"]!.GetValue<string>());
        Assert.Empty(await EventsAsync(customer.Id, id)); // nothing for billing to rate while Partner Center processes the order
        var change = await app.Broker().PatchAsJsonAsync(Url(customer.Id, $"/{id}"), new { quantity = 3 }, Json.Options);
        await change.ExpectAsync(HttpStatusCode.UnprocessableEntity);

        // The buyer retries with the same key while the order is still pending: the same subscription, not a second order.
        var again = (await (await BuyAsync(customer.Id, key)).ExpectAsync(HttpStatusCode.Accepted))!;
        Assert.Equal(id, again["id"]!.GetValue<Guid>());
        var inPartnerCenter = Assert.Single(await PartnerCenterSubscriptionsAsync(customer));
        Assert.Equal("pending", inPartnerCenter["status"]!.GetValue<string>());

        await _emulator.AdvanceClockAsync(0, minutes: 11);
        Assert.Equal("active", Assert.Single(await PartnerCenterSubscriptionsAsync(customer))["status"]!.GetValue<string>());
        await (await app.Broker().PostAsync(Url(customer.Id, "/reconcile"), null)).ExpectAsync(HttpStatusCode.OK);

        var active = await SubscriptionAsync(customer.Id, id);
        Assert.Equal("active", active["status"]!.GetValue<string>());
        Assert.Equal("Sales", active["friendlyName"]!.GetValue<string>());
        Assert.Equal("PO-9", active["purchaseOrderNumber"]!.GetValue<string>());
        var purchase = Assert.Single(await EventsAsync(customer.Id, id))!;
        Assert.Equal("purchase", purchase["kind"]!.GetValue<string>());
        Assert.Equal("skyport", purchase["side"]!.GetValue<string>());
        Assert.NotEqual("Partner Center", purchase["actor"]!.GetValue<string>());
        Assert.True(purchase["at"]!.GetValue<DateTimeOffset>() >= ordered.AddMinutes(10), "billing starts when the order completed, not when it was placed");

        // A retry after completion answers the subscription as it is now, still bought once.
        var done = (await (await BuyAsync(customer.Id, key)).ExpectAsync(HttpStatusCode.Created))!;
        Assert.Equal(id, done["id"]!.GetValue<Guid>());
        Assert.Equal("active", done["status"]!.GetValue<string>());
        Assert.Single(await PartnerCenterSubscriptionsAsync(customer));
        Assert.Single(await EventsAsync(customer.Id, id));
    }

    [Fact]
    public async Task A_retry_of_a_purchase_answered_pending_reads_Partner_Center_again_and_shows_it_active()
    {
        await _emulator.SettingsAsync(new { orderPendingSeconds = 600 });
        var customer = await app.CustomerWithTenantAsync();
        var key = Guid.NewGuid().ToString();
        var id = (await (await BuyAsync(customer.Id, key)).ExpectAsync(HttpStatusCode.Accepted))!["id"]!.GetValue<Guid>();

        await _emulator.AdvanceClockAsync(0, minutes: 11);
        var retried = (await (await BuyAsync(customer.Id, key)).ExpectAsync(HttpStatusCode.Created))!;
        Assert.Equal(id, retried["id"]!.GetValue<Guid>());
        Assert.Equal("active", retried["status"]!.GetValue<string>());
        Assert.Equal("purchase", Assert.Single(await EventsAsync(customer.Id, id))!["kind"]!.GetValue<string>());
        Assert.Single(await PartnerCenterSubscriptionsAsync(customer));
    }

    [Fact]
    public async Task Quantity_changes_that_Partner_Center_answers_202_are_followed_until_they_land()
    {
        var customer = await app.CustomerWithTenantAsync();
        var id = (await (await BuyAsync(customer.Id, Guid.NewGuid().ToString(), quantity: 3)).ExpectAsync(HttpStatusCode.Created))!["id"]!.GetValue<Guid>();
        await _emulator.SettingsAsync(new { patchAcceptedRate = 0.5, patchDelaySeconds = 1, seed = 3 });

        for (var quantity = 4; quantity <= 7; quantity++)
        {
            var changed = (await (await app.Broker().PatchAsJsonAsync(Url(customer.Id, $"/{id}"), new { quantity }, Json.Options)).ExpectAsync(HttpStatusCode.OK))!;
            Assert.Equal(quantity, changed["quantity"]!.GetValue<int>());
            Assert.Equal(quantity, Assert.Single(await PartnerCenterSubscriptionsAsync(customer))["quantity"]!.GetValue<int>());
        }

        var changes = (await EventsAsync(customer.Id, id)).Where(e => e!["kind"]!.GetValue<string>() == "changeQuantity").ToList();
        Assert.Equal([4, 5, 6, 7], changes.Select(e => e!["quantityAfter"]!.GetValue<int>()));
        Assert.All(changes, e => Assert.Equal("skyport", e!["side"]!.GetValue<string>()));
        Assert.Equal(7, (await SubscriptionAsync(customer.Id, id))["quantity"]!.GetValue<int>());
    }
}
