using System.Net;
using System.Text.Json;

namespace Skyport.Emulator.Tests;

[Collection(SharedEmulator.Name)]
public sealed class SubscriptionTests(EmulatorFixture emulator)
{
    [Fact]
    public async Task Cart_checkout_creates_an_order_and_a_subscription_with_inclusive_term_end()
    {
        var (customerId, _, _) = await emulator.CreateCustomerAsync("cart");
        var (cartResponse, cart) = await emulator.PostAsync($"/v1/customers/{customerId}/carts",
            """{ "LineItems": [ { "CatalogItemId": "CFQ7TTC0LH18:0001:CFQ7TTC0K971", "Quantity": 3, "TermDuration": "P1Y", "BillingCycle": "Monthly" } ] }""");
        Assert.Equal(HttpStatusCode.Created, cartResponse.StatusCode);
        Assert.Equal("Active", cart.GetProperty("status").GetString());
        var line = cart.GetProperty("lineItems")[0];
        Assert.Equal("monthly", line.GetProperty("billingCycle").GetString());
        Assert.Equal(3, line.GetProperty("quantity").GetInt32());

        var (checkoutResponse, checkout) = await emulator.PostAsync($"/v1/customers/{customerId}/carts/{cart.GetProperty("id").GetString()}/checkout", null);
        Assert.Equal(HttpStatusCode.Created, checkoutResponse.StatusCode);
        var order = checkout.GetProperty("orders")[0];
        Assert.Equal("completed", order.GetProperty("status").GetString());
        Assert.Equal("New", order.GetProperty("lineItems")[0].GetProperty("transactionType").GetString());
        var subscriptionId = order.GetProperty("lineItems")[0].GetProperty("subscriptionId").GetString();

        var again = await emulator.PostAsync($"/v1/customers/{customerId}/carts/{cart.GetProperty("id").GetString()}/checkout", null);
        Assert.Equal(HttpStatusCode.Created, again.Response.StatusCode);
        Assert.Equal(order.GetProperty("id").GetString(), again.Body.GetProperty("orders")[0].GetProperty("id").GetString());

        var (_, sub) = await emulator.GetAsync($"/v1/customers/{customerId}/subscriptions/{subscriptionId}");
        var today = (await emulator.NowAsync()).UtcDateTime.Date;
        Assert.Equal(today.AddYears(1).AddDays(-1), sub.GetProperty("commitmentEndDate").GetDateTime().Date);
        Assert.Equal("active", sub.GetProperty("status").GetString());
        Assert.True(sub.GetProperty("autoRenewEnabled").GetBoolean());
        Assert.Equal(Catalog.BusinessBasic, sub.GetProperty("offerId").GetString());
        Assert.Equal(3, sub.GetProperty("refundableQuantity").GetProperty("totalQuantity").GetInt32());

        var (_, orders) = await emulator.GetAsync($"/v1/customers/{customerId}/orders");
        Assert.Equal(1, orders.GetProperty("totalCount").GetInt32());
        var (_, subs) = await emulator.GetAsync($"/v1/customers/{customerId}/subscriptions");
        Assert.Equal(1, subs.GetProperty("totalCount").GetInt32());
    }

    [Theory]
    [InlineData("""{ "lineItems": [ { "catalogItemId": "NOPE:0001:X", "quantity": 1, "termDuration": "P1M", "billingCycle": "Monthly" } ] }""", 400, 800004)]
    [InlineData("""{ "lineItems": [ { "catalogItemId": "CFQ7TTC0LH18:0001:CFQ7TTC0K971", "quantity": 1, "termDuration": "P1M", "billingCycle": "Annual" } ] }""", 400, 800009)]
    [InlineData("""{ "lineItems": [ { "catalogItemId": "CFQ7TTC0LH18:0001:CFQ7TTC0K971", "quantity": 301, "termDuration": "P1M", "billingCycle": "Monthly" } ] }""", 403, 800067)]
    [InlineData("""{ "lineItems": [ { "catalogItemId": "CFQ7TTC0LH18:0001:CFQ7TTC0K971", "quantity": "two", "termDuration": "P1M", "billingCycle": "Monthly" } ] }""", 400, 3000)]
    public async Task Bad_cart_lines_are_refused(string body, int status, int code)
    {
        var (customerId, _, _) = await emulator.CreateCustomerAsync("badcart");
        var (response, json) = await emulator.PostAsync($"/v1/customers/{customerId}/carts", body);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(code, json.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Quantity_can_grow_any_time_but_shrink_only_within_168_hours_of_the_seats_being_added()
    {
        var (customerId, _, _) = await emulator.CreateCustomerAsync("seats");
        var id = await emulator.BuyAsync(customerId, Catalog.BusinessBasic, 5);
        var path = $"/v1/customers/{customerId}/subscriptions/{id}";

        var (down, downBody) = await emulator.PatchAsync(path, new { Quantity = 4 });
        Assert.Equal(HttpStatusCode.OK, down.StatusCode);
        Assert.Equal(4, downBody.GetProperty("quantity").GetInt32());

        await emulator.AdvanceAsync(days: 8);
        var (late, lateBody) = await emulator.PatchAsync(path, new { quantity = 3 });
        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        Assert.Equal(800090, lateBody.GetProperty("code").GetInt32());

        var (up, _) = await emulator.PatchAsync(path, new { quantity = 6 });
        Assert.Equal(HttpStatusCode.OK, up.StatusCode);
        var (back, backBody) = await emulator.PatchAsync(path, new { quantity = 4 });
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Equal(4, backBody.GetProperty("quantity").GetInt32());
        var (tooFar, _) = await emulator.PatchAsync(path, new { quantity = 3 });
        Assert.Equal(HttpStatusCode.BadRequest, tooFar.StatusCode);

        var (cancel, cancelBody) = await emulator.PatchAsync(path, new { status = "deleted" });
        Assert.Equal(HttpStatusCode.BadRequest, cancel.StatusCode);
        Assert.Equal(800096, cancelBody.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Cancellation_within_the_window_deletes_and_further_updates_are_refused()
    {
        var (customerId, _, _) = await emulator.CreateCustomerAsync("cancel");
        var id = await emulator.BuyAsync(customerId, Catalog.BusinessBasic, 2);
        var path = $"/v1/customers/{customerId}/subscriptions/{id}";
        var (cancel, body) = await emulator.PatchAsync(path, new { status = "deleted" });
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("deleted", body.GetProperty("status").GetString());
        var (update, updateBody) = await emulator.PatchAsync(path, new { quantity = 5 });
        Assert.Equal(HttpStatusCode.BadRequest, update.StatusCode);
        Assert.Equal(2011, updateBody.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Suspension_turns_off_auto_renew_and_blocks_quantity_changes_until_reactivated()
    {
        var (customerId, _, _) = await emulator.CreateCustomerAsync("suspend");
        var id = await emulator.BuyAsync(customerId, Catalog.BusinessBasic, 2, "P1Y", "Annual");
        var path = $"/v1/customers/{customerId}/subscriptions/{id}";
        var (suspend, suspended) = await emulator.PatchAsync(path, new { status = "suspended", friendlyName = "Sales team" });
        Assert.Equal(HttpStatusCode.OK, suspend.StatusCode);
        Assert.Equal("suspended", suspended.GetProperty("status").GetString());
        Assert.False(suspended.GetProperty("autoRenewEnabled").GetBoolean());
        Assert.Equal("Sales team", suspended.GetProperty("friendlyName").GetString());

        var (quantity, quantityBody) = await emulator.PatchAsync(path, new { quantity = 3 });
        Assert.Equal(HttpStatusCode.BadRequest, quantity.StatusCode);
        Assert.Equal(2001, quantityBody.GetProperty("code").GetInt32());
        var (renew, renewBody) = await emulator.PatchAsync(path, new { autoRenewEnabled = true });
        Assert.Equal(800091, renewBody.GetProperty("code").GetInt32());

        var (_, skus) = await emulator.GetAsync($"/v1/customers/{customerId}/subscribedskus");
        Assert.Equal(2, skus.GetProperty("items")[0].GetProperty("suspendedUnits").GetInt32());
        Assert.Equal(0, skus.GetProperty("items")[0].GetProperty("availableUnits").GetInt32());

        var (activate, active) = await emulator.PatchAsync(path, new { status = "active" });
        Assert.Equal(HttpStatusCode.OK, activate.StatusCode);
        Assert.Equal("active", active.GetProperty("status").GetString());
        Assert.False(active.GetProperty("autoRenewEnabled").GetBoolean());
        var (_, renewed) = await emulator.PatchAsync(path, new { autoRenewEnabled = true });
        Assert.True(renewed.GetProperty("autoRenewEnabled").GetBoolean());

        var (wrongType, wrongTypeBody) = await emulator.PatchAsync(path, new { quantity = "three" });
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Equal(3000, wrongTypeBody.GetProperty("code").GetInt32());
        var (missing, missingBody) = await emulator.PatchAsync($"/v1/customers/{customerId}/subscriptions/{Guid.NewGuid()}", new { quantity = 1 });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(20003, missingBody.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Add_ons_need_a_prerequisite_and_are_listed_under_their_base_subscription()
    {
        var (customerId, _, _) = await emulator.CreateCustomerAsync("addon");
        var (cartResponse, cart) = await emulator.PostAsync($"/v1/customers/{customerId}/carts",
            new { lineItems = new[] { new { catalogItemId = Catalog.TeamsPhone, quantity = 1, termDuration = "P1M", billingCycle = "Monthly" } } });
        Assert.Equal(HttpStatusCode.Created, cartResponse.StatusCode);
        var (refused, refusedBody) = await emulator.PostAsync($"/v1/customers/{customerId}/carts/{cart.GetProperty("id").GetString()}/checkout", null);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(800009, refusedBody.GetProperty("code").GetInt32());

        var baseId = await emulator.BuyAsync(customerId, Catalog.BusinessBasic, 2);
        var addOnId = await emulator.BuyAsync(customerId, Catalog.TeamsPhone, 2, parentSubscriptionId: baseId.ToString());
        var (_, addOns) = await emulator.GetAsync($"/v1/customers/{customerId}/subscriptions/{baseId}/addons");
        var addOn = addOns.GetProperty("items").EnumerateArray().Single();
        Assert.Equal(addOnId.ToString(), addOn.GetProperty("id").GetString());
        Assert.Equal(baseId.ToString(), addOn.GetProperty("parentSubscriptionId").GetString());
    }
}
