using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Tests.Infrastructure;
using Skyport.Web;

namespace Skyport.Tests.Features.Subscriptions;

public sealed class PurchaseRetryOnSqlite(SqliteSkyport app) : PurchaseRetryTests(app), IClassFixture<SqliteSkyport>;

public sealed class PurchaseRetryOnPostgres(PostgresSkyport app) : PurchaseRetryTests(app), IClassFixture<PostgresSkyport>;

/// <summary>
/// A purchase retried with its Idempotency-Key after a lost answer, a 503 or a crashed instance is made once in
/// Partner Center, and a crash never blocks the key or the subscription until a timeout passes.
/// </summary>
public abstract class PurchaseRetryTests(SkyportApp app) : IAsyncLifetime
{
    private readonly EmulatorControl _emulator = new(app);

    public Task InitializeAsync() => Shop.ImportCatalogAsync(app);

    public Task DisposeAsync() => _emulator.ClearFaultsAsync();

    private static string Url(Guid customer, string rest = "") => $"/api/v1/customers/{customer}/o365/subscriptions{rest}";

    private static byte[] Body(object value) => JsonSerializer.SerializeToUtf8Bytes(value, Json.Options);

    private Task<HttpResponseMessage> PostAsync(Guid customer, byte[] body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Url(customer)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(Idempotency.Header, key);
        return app.Broker().SendAsync(request);
    }

    private async Task<IReadOnlyList<JsonNode>> PartnerCenterSubscriptionsAsync(TenantCustomer customer) =>
        [.. (await _emulator.SubscriptionsAsync()).Where(s => s["tenantId"]!.GetValue<Guid>() == customer.TenantId)];

    [Fact]
    public async Task A_purchase_whose_checkout_answer_was_lost_is_completed_by_its_retry_and_bought_once()
    {
        var customer = await app.CustomerWithTenantAsync();
        var body = Body(new { offerId = Shop.BusinessBasic, quantity = 2, friendlyName = "Front desk", purchaseOrderNumber = "PO-77" });
        var key = Guid.NewGuid().ToString();
        // Partner Center places the order but every answer to the checkout is lost, the resilience pipeline's retries included.
        await _emulator.InjectAsync(new { method = "POST", pathPattern = $"/v1/customers/{customer.TenantId}/carts/*/checkout", kind = "drop", rate = 1.0, times = 20 });

        var first = await PostAsync(customer.Id, body, key);
        await first.ExpectAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Single(await PartnerCenterSubscriptionsAsync(customer));

        await _emulator.ClearFaultsAsync();
        var retried = (await (await PostAsync(customer.Id, body, key)).ExpectAsync(HttpStatusCode.Created))!;

        var inPartnerCenter = Assert.Single(await PartnerCenterSubscriptionsAsync(customer));
        Assert.Equal(inPartnerCenter["id"]!.GetValue<Guid>(), retried["id"]!.GetValue<Guid>());
        Assert.Equal("Front desk", retried["friendlyName"]!.GetValue<string>());
        Assert.Equal("PO-77", retried["purchaseOrderNumber"]!.GetValue<string>());
        var list = (await (await app.Broker().GetAsync(Url(customer.Id))).ExpectAsync(HttpStatusCode.OK))!;
        Assert.Equal(1, list["total"]!.GetValue<int>());
        var events = (await (await app.Broker().GetAsync(Url(customer.Id, $"/{retried["id"]}/events"))).ExpectAsync(HttpStatusCode.OK))!.AsArray();
        Assert.Single(events, e => e!["kind"]!.GetValue<string>() == "purchase");
    }

    [Fact]
    public async Task A_purchase_whose_cart_answer_was_lost_is_completed_by_its_retry_with_the_first_cart()
    {
        var customer = await app.CustomerWithTenantAsync();
        var body = Body(new { offerId = Shop.BusinessBasic, quantity = 1 });
        var key = Guid.NewGuid().ToString();
        await _emulator.InjectAsync(new { method = "POST", pathPattern = $"/v1/customers/{customer.TenantId}/carts", kind = "drop", rate = 1.0, times = 20 });
        await (await PostAsync(customer.Id, body, key)).ExpectAsync(HttpStatusCode.ServiceUnavailable);

        await _emulator.ClearFaultsAsync();
        await (await PostAsync(customer.Id, body, key)).ExpectAsync(HttpStatusCode.Created);

        Assert.Single(await PartnerCenterSubscriptionsAsync(customer));
    }

    [Fact]
    public async Task A_key_whose_first_request_died_with_its_instance_is_taken_over_at_once_by_the_retry()
    {
        var customer = await app.CustomerWithTenantAsync();
        var body = Body(new { offerId = Shop.BusinessBasic, quantity = 1 });
        var key = Guid.NewGuid().ToString();
        await InProgressAsync(key, customer.Id, body, owner: Guid.NewGuid()); // an instance that has no heartbeat: killed

        var retried = (await (await PostAsync(customer.Id, body, key)).ExpectAsync(HttpStatusCode.Created))!;

        Assert.Equal(retried["id"]!.GetValue<Guid>(), Assert.Single(await PartnerCenterSubscriptionsAsync(customer))["id"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task A_key_whose_first_request_is_still_running_in_a_live_instance_answers_in_progress()
    {
        var customer = await app.CustomerWithTenantAsync();
        var body = Body(new { offerId = Shop.BusinessBasic, quantity = 1 });
        var key = Guid.NewGuid().ToString();
        var live = app.Services.GetRequiredService<ThisInstance>().Id;
        await InProgressAsync(key, customer.Id, body, live);

        var busy = (await (await PostAsync(customer.Id, body, key)).ExpectAsync(HttpStatusCode.Conflict))!;

        Assert.Contains("still in progress", busy["detail"]!.GetValue<string>());
        Assert.Empty(await PartnerCenterSubscriptionsAsync(customer));
    }

    [Fact]
    public async Task A_subscription_change_left_by_a_killed_instance_does_not_block_the_next_change()
    {
        var customer = await app.CustomerWithTenantAsync();
        var bought = (await (await app.Broker().PostJsonAsync(Url(customer.Id), new { offerId = Shop.BusinessBasic, quantity = 2 })).ExpectAsync(HttpStatusCode.Created))!;
        var id = bought["id"]!.GetValue<Guid>();
        await MarkChangingAsync(id, owner: Guid.NewGuid());

        var changed = (await (await app.Broker().PatchAsync(Url(customer.Id, $"/{id}"), Patch(new { quantity = 4 }))).ExpectAsync(HttpStatusCode.OK))!;

        Assert.Equal(4, changed["quantity"]!.GetValue<int>());
        Assert.Equal(4, Assert.Single(await PartnerCenterSubscriptionsAsync(customer))["quantity"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_subscription_being_changed_by_a_live_instance_refuses_a_second_change()
    {
        var customer = await app.CustomerWithTenantAsync();
        var bought = (await (await app.Broker().PostJsonAsync(Url(customer.Id), new { offerId = Shop.BusinessBasic, quantity = 2 })).ExpectAsync(HttpStatusCode.Created))!;
        var id = bought["id"]!.GetValue<Guid>();
        await MarkChangingAsync(id, app.Services.GetRequiredService<ThisInstance>().Id);

        await (await app.Broker().PatchAsync(Url(customer.Id, $"/{id}"), Patch(new { quantity = 4 }))).ExpectAsync(HttpStatusCode.Conflict);

        Assert.Equal(2, Assert.Single(await PartnerCenterSubscriptionsAsync(customer))["quantity"]!.GetValue<int>());
        await MarkChangingAsync(id, owner: null);
    }

    /// <summary>What the idempotency filter leaves behind when its instance is killed mid-request: a record without an answer.</summary>
    private Task InProgressAsync(string key, Guid customer, byte[] body, Guid owner) => app.InScopeAsync(async s =>
    {
        var db = s.GetRequiredService<SkyportDbContext>();
        var broker = await db.ApiKeys.Where(k => k.Name == "Bootstrap" && k.RevokedAt == null).Select(k => k.UserId).SingleAsync();
        db.IdempotencyRecords.Add(new IdempotencyRecord
        {
            UserId = broker,
            Key = key,
            Route = $"POST {Url(customer).ToLowerInvariant()}",
            RequestHash = Convert.ToHexStringLower(SHA256.HashData(body)),
            CreatedAt = DateTimeOffset.UtcNow,
            OwnerInstanceId = owner,
        });
        return await db.SaveChangesAsync();
    });

    private Task MarkChangingAsync(Guid subscription, Guid? owner) => app.InScopeAsync(async s =>
    {
        var db = s.GetRequiredService<SkyportDbContext>();
        var row = await db.O365Subscriptions.SingleAsync(x => x.Id == subscription);
        row.ChangeStartedAt = owner is null ? null : DateTimeOffset.UtcNow;
        row.ChangeOwnerInstanceId = owner;
        row.Version++;
        return await db.SaveChangesAsync();
    });

    private static StringContent Patch(object value) => new(JsonSerializer.Serialize(value, Json.Options), Encoding.UTF8, "application/json");
}
