using System.Net;

namespace Skyport.Emulator.Tests;

/// <summary>The Partner Center routes not covered by the scenario tests: profiles, carts, orders, invoices, customer-scoped catalog.</summary>
[Collection(SharedEmulator.Name)]
public sealed class RemainingRouteTests(EmulatorFixture emulator)
{
    [Fact]
    public async Task Profiles_carts_orders_and_the_customer_scoped_catalog_answer_in_shape()
    {
        var (customerId, domain, _) = await emulator.CreateCustomerAsync("routes", country: "DE");
        var (_, billing) = await emulator.GetAsync($"/v1/customers/{customerId}/profiles/billing");
        Assert.Equal("CustomerBillingProfile", billing.GetProperty("attributes").GetProperty("objectType").GetString());
        Assert.Equal("DE", billing.GetProperty("defaultAddress").GetProperty("country").GetString());
        var (_, company) = await emulator.GetAsync($"/v1/customers/{customerId}/profiles/company");
        Assert.Equal(domain, company.GetProperty("domain").GetString());

        var (_, products) = await emulator.GetAsync($"/v1/customers/{customerId}/products?targetView=OnlineServices");
        Assert.True(products.GetProperty("totalCount").GetInt32() >= 20);
        var (_, availability) = await emulator.GetAsync($"/v1/customers/{customerId}/products/CFQ7TTC0LH18/skus/0001/availabilities/CFQ7TTC0K971?country=DE");
        Assert.Equal("EUR", availability.GetProperty("defaultCurrency").GetProperty("code").GetString());

        var (_, cart) = await emulator.PostAsync($"/v1/customers/{customerId}/carts",
            new { lineItems = new[] { new { catalogItemId = Catalog.BusinessBasic, quantity = 1, termDuration = "P1M", billingCycle = "Monthly" } } });
        var cartId = cart.GetProperty("id").GetString();
        Assert.Equal("EUR", cart.GetProperty("lineItems")[0].GetProperty("currencyCode").GetString());
        var (put, updated) = await emulator.SendAsync(HttpMethod.Put, $"/v1/customers/{customerId}/carts/{cartId}",
            new { LineItems = new[] { new { CatalogItemId = Catalog.BusinessBasic, Quantity = 4, TermDuration = "P1Y", BillingCycle = "Annual" } } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(4, updated.GetProperty("lineItems")[0].GetProperty("quantity").GetInt32());
        var (_, got) = await emulator.GetAsync($"/v1/customers/{customerId}/carts/{cartId}");
        Assert.Equal("annual", got.GetProperty("lineItems")[0].GetProperty("billingCycle").GetString());
        Assert.Equal("P1Y", got.GetProperty("lineItems")[0].GetProperty("termDuration").GetString());
        var (missingCart, missingCartBody) = await emulator.GetAsync($"/v1/customers/{customerId}/carts/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, missingCart.StatusCode);
        Assert.Equal(800008, missingCartBody.GetProperty("code").GetInt32());

        var (_, checkout) = await emulator.PostAsync($"/v1/customers/{customerId}/carts/{cartId}/checkout", null);
        var orderId = checkout.GetProperty("orders")[0].GetProperty("id").GetString();
        var (_, order) = await emulator.GetAsync($"/v1/customers/{customerId}/orders/{orderId}");
        Assert.Equal("Order", order.GetProperty("attributes").GetProperty("objectType").GetString());
        Assert.Equal("EUR", order.GetProperty("currencyCode").GetString());
        var (_, byOrder) = await emulator.GetAsync($"/v1/customers/{customerId}/subscriptions?order_id={orderId}");
        Assert.Equal(1, byOrder.GetProperty("totalCount").GetInt32());
        var (missingOrder, missingOrderBody) = await emulator.GetAsync($"/v1/customers/{customerId}/orders/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, missingOrder.StatusCode);
        Assert.Equal(20000, missingOrderBody.GetProperty("code").GetInt32());

        var (unknownInvoice, invoiceBody) = await emulator.GetAsync("/v1/invoices/G999999999");
        Assert.Equal(HttpStatusCode.NotFound, unknownInvoice.StatusCode);
        Assert.Equal("PartnerFD", invoiceBody.GetProperty("source").GetString());
    }

    [Fact]
    public async Task A_disabled_account_cannot_sign_in()
    {
        var (tenantId, domain, password) = await emulator.CreateCustomerAsync("disabled");
        var graph = emulator.Graph(tenantId);
        await graph.Users[$"admin@{domain}"].PatchAsync(new Microsoft.Graph.Models.User { AccountEnabled = false });
        var (response, _) = await emulator.PostAsync("/_emulator/signin", new { userPrincipalName = $"admin@{domain}", password });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_routes_answer_in_each_services_shape()
    {
        var (pc, pcBody) = await emulator.GetAsync("/v1/nothing/here");
        Assert.Equal(HttpStatusCode.NotFound, pc.StatusCode);
        Assert.Equal("PartnerFD", pcBody.GetProperty("source").GetString());

        var (tenantId, _, _) = await emulator.CreateCustomerAsync("fallback");
        using var http = new HttpClient { BaseAddress = new Uri(emulator.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", await emulator.TokenAsync(tenantId, "https://graph.microsoft.com/.default"));
        var graph = await http.GetAsync("/graph/v1.0/groups");
        Assert.Equal(HttpStatusCode.BadRequest, graph.StatusCode);
        using var body = System.Text.Json.JsonDocument.Parse(await graph.Content.ReadAsStringAsync());
        Assert.Equal("Resource not found for the segment 'groups'.", body.RootElement.GetProperty("error").GetProperty("message").GetString());
    }
}
