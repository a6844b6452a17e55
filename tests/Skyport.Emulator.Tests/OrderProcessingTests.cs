using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Skyport.PartnerCenterEmulator.Core;

namespace Skyport.Emulator.Tests;

/// <summary>
/// Orders and subscription changes that take time, as Microsoft documents them: short string order ids, pending orders,
/// a repeated checkout answering the first result, PATCHes answered 202 with a Location. An emulator of its own, since
/// these tests change how long Partner Center takes.
/// </summary>
public sealed partial class OrderProcessingTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => SettingsAsync(new { orderPendingSeconds = 0, patchAcceptedRate = 0, patchDelaySeconds = 2 });

    public Task DisposeAsync() => Task.CompletedTask;

    [GeneratedRegex("^[0-9a-f]{12}$")]
    private static partial Regex NceOrderId();

    private async Task SettingsAsync(object settings)
    {
        var (response, _) = await emulator.SendAsync(HttpMethod.Put, "/_emulator/settings", settings);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<(Guid CustomerId, string CartId, JsonElement Order)> CheckOutAsync(int quantity = 2)
    {
        var (customerId, _, _) = await emulator.CreateCustomerAsync("orders");
        var (_, cart) = await emulator.PostAsync($"/v1/customers/{customerId}/carts",
            new { lineItems = new[] { new { catalogItemId = Catalog.BusinessBasic, quantity, termDuration = "P1M", billingCycle = "Monthly" } } });
        var cartId = cart.GetProperty("id").GetString()!;
        var (response, checkout) = await emulator.PostAsync($"/v1/customers/{customerId}/carts/{cartId}/checkout", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (customerId, cartId, checkout.GetProperty("orders")[0]);
    }

    [Fact]
    public async Task An_order_id_is_a_short_hexadecimal_string_that_finds_the_order_and_its_subscriptions()
    {
        var (customerId, _, order) = await CheckOutAsync();
        var orderId = order.GetProperty("id").GetString()!;
        Assert.Matches(NceOrderId(), orderId);
        Assert.Equal(orderId, order.GetProperty("alternateId").GetString());

        var (found, body) = await emulator.GetAsync($"/v1/customers/{customerId}/orders/{orderId}");
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal(orderId, body.GetProperty("id").GetString());
        var subscriptionId = body.GetProperty("lineItems")[0].GetProperty("subscriptionId").GetString();
        var (_, subscription) = await emulator.GetAsync($"/v1/customers/{customerId}/subscriptions/{subscriptionId}");
        Assert.Equal(orderId, subscription.GetProperty("orderId").GetString());
        var (_, byOrder) = await emulator.GetAsync($"/v1/customers/{customerId}/subscriptions?order_id={orderId}");
        Assert.Equal(subscriptionId, byOrder.GetProperty("items")[0].GetProperty("id").GetString());

        var (missing, error) = await emulator.GetAsync($"/v1/customers/{customerId}/orders/0123456789ab");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(20000, error.GetProperty("code").GetInt32());
        var (guid, _) = await emulator.GetAsync($"/v1/customers/{customerId}/orders/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, guid.StatusCode);
    }

    [Fact]
    public async Task A_pending_order_names_its_subscriptions_which_stay_pending_and_unchangeable_until_it_completes()
    {
        await SettingsAsync(new { orderPendingSeconds = 600 });
        var (customerId, cartId, order) = await CheckOutAsync(quantity: 3);
        Assert.Equal("pending", order.GetProperty("status").GetString());
        var orderId = order.GetProperty("id").GetString();
        var subscriptionId = order.GetProperty("lineItems")[0].GetProperty("subscriptionId").GetString();
        var path = $"/v1/customers/{customerId}/subscriptions/{subscriptionId}";

        var (_, pending) = await emulator.GetAsync(path);
        Assert.Equal("pending", pending.GetProperty("status").GetString());
        var (change, refusal) = await emulator.PatchAsync(path, new { quantity = 4 });
        Assert.Equal(HttpStatusCode.Conflict, change.StatusCode);
        Assert.Equal(800060, refusal.GetProperty("code").GetInt32());

        var (again, repeated) = await emulator.PostAsync($"/v1/customers/{customerId}/carts/{cartId}/checkout", null);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(orderId, repeated.GetProperty("orders")[0].GetProperty("id").GetString());
        var (_, orders) = await emulator.GetAsync($"/v1/customers/{customerId}/orders");
        Assert.Equal(1, orders.GetProperty("totalCount").GetInt32());

        await emulator.PostAsync("/_emulator/clock/advance", new { minutes = 9 });
        var (_, stillPending) = await emulator.GetAsync($"/v1/customers/{customerId}/orders/{orderId}");
        Assert.Equal("pending", stillPending.GetProperty("status").GetString());

        await emulator.PostAsync("/_emulator/clock/advance", new { minutes = 2 });
        var (_, completed) = await emulator.GetAsync($"/v1/customers/{customerId}/orders/{orderId}");
        Assert.Equal("completed", completed.GetProperty("status").GetString());
        var (_, active) = await emulator.GetAsync(path);
        Assert.Equal("active", active.GetProperty("status").GetString());
        Assert.Equal(3, active.GetProperty("quantity").GetInt32());
        var (changed, _) = await emulator.PatchAsync(path, new { quantity = 4 });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
    }

    [Fact]
    public async Task A_pending_order_completes_in_real_time_without_any_request()
    {
        await SettingsAsync(new { orderPendingSeconds = 1 });
        var (customerId, _, order) = await CheckOutAsync();
        Assert.Equal("pending", order.GetProperty("status").GetString());
        var orderId = order.GetProperty("id").GetString();
        await Task.Delay(TimeSpan.FromSeconds(1.6));

        // Read the stored state directly: a request would complete due work itself, so only the emulator's timer can have done it.
        using var scope = emulator.App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<EmulatorDb>();
        var stored = db.Orders.Single(o => o.Id == orderId);
        Assert.Equal(customerId, stored.TenantId);
        Assert.Equal(OrderStatuses.Completed, stored.Status);
        Assert.All(stored.LineItems, l => Assert.Equal(SubscriptionStatuses.Active, db.Subscriptions.Single(s => s.Id == l.SubscriptionId).Status));
    }

    [Fact]
    public async Task A_patch_answered_202_points_at_the_subscription_which_shows_the_change_once_it_lands()
    {
        var (customerId, _, order) = await CheckOutAsync(quantity: 2);
        var subscriptionId = order.GetProperty("lineItems")[0].GetProperty("subscriptionId").GetString();
        var path = $"/v1/customers/{customerId}/subscriptions/{subscriptionId}";
        await SettingsAsync(new { patchAcceptedRate = 1, patchDelaySeconds = 120 });

        var (accepted, _) = await emulator.PatchAsync(path, new { quantity = 5 });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var location = accepted.Headers.Location!.OriginalString;
        Assert.Equal($"/customers/{customerId}/subscriptions/{subscriptionId}", location);
        var (_, before) = await emulator.GetAsync("/v1" + location);
        Assert.Equal(2, before.GetProperty("quantity").GetInt32());

        var (second, busy) = await emulator.PatchAsync(path, new { quantity = 6 });
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal(900278, busy.GetProperty("code").GetInt32());

        await emulator.PostAsync("/_emulator/clock/advance", new { minutes = 3 });
        var (_, after) = await emulator.GetAsync("/v1" + location);
        Assert.Equal(5, after.GetProperty("quantity").GetInt32());

        var (refused, error) = await emulator.PatchAsync(path, new { quantity = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode); // a change Partner Center refuses is refused at once, never accepted
        Assert.Equal(2002, error.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task The_share_of_patches_answered_202_is_drawn_from_a_seed()
    {
        var (customerId, _, order) = await CheckOutAsync(quantity: 1);
        var path = $"/v1/customers/{customerId}/subscriptions/{order.GetProperty("lineItems")[0].GetProperty("subscriptionId").GetString()}";

        async Task<List<HttpStatusCode>> RunAsync()
        {
            await SettingsAsync(new { patchAcceptedRate = 0.5, patchDelaySeconds = 0, seed = 7 });
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 12; i++)
            {
                var (response, _) = await emulator.PatchAsync(path, new { friendlyName = $"name {statuses.Count} {Guid.NewGuid():N}" });
                statuses.Add(response.StatusCode);
                await emulator.GetAsync(path); // a delay of 0: the accepted change lands before the next request
            }
            return statuses;
        }

        var first = await RunAsync();
        Assert.Contains(HttpStatusCode.Accepted, first);
        Assert.Contains(HttpStatusCode.OK, first);
        Assert.Equal(first, await RunAsync());
    }

    [Theory]
    [InlineData("""{ "patchAcceptedRate": 1.5 }""")]
    [InlineData("""{ "orderPendingSeconds": -1 }""")]
    [InlineData("""{ "orderPendingSeconds": "soon" }""")]
    public async Task Settings_out_of_range_are_refused(string body)
    {
        var (response, _) = await emulator.SendAsync(HttpMethod.Put, "/_emulator/settings", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
