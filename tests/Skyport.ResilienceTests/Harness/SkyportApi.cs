using System.Text.Json.Nodes;

namespace Skyport.ResilienceTests.Harness;

/// <summary>
/// The calls a test makes to get somewhere (a customer, its tenant, a subscription, users) through Skyport's API, each sent
/// until final with <see cref="RetryingClient"/> and expected to succeed.
/// </summary>
public sealed class SkyportApi(RetryingClient client, TimeSpan budget)
{
    public RetryingClient Client => client;

    public async Task<JsonNode> ExpectAsync(ApiRequest request, params int[] statuses)
    {
        var answer = await client.SendUntilFinalAsync(request, budget);
        if (!statuses.Contains(answer.Status))
        {
            throw new InvalidOperationException($"{request} expected {string.Join("/", statuses)} but got {answer}");
        }
        return answer.Body.Length == 0 ? new JsonObject() : answer.Json;
    }

    public async Task<Guid> ResellerIdAsync(string name = "Fabrikam IT")
    {
        var list = await ExpectAsync(ApiRequest.Get("/api/v1/organizations?pageSize=500"), 200);
        return list["items"]!.AsArray().Single(i => i!["name"]!.GetValue<string>() == name)!["id"]!.GetValue<Guid>();
    }

    /// <summary>A new customer under the reseller, with a complete address and its own contact email (the credentials go there).</summary>
    public async Task<Guid> CreateCustomerAsync(Guid resellerId, string name, string contactEmail)
    {
        var created = await ExpectAsync(ApiRequest.Post("/api/v1/organizations", new
        {
            name,
            kind = "customer",
            parentId = resellerId,
            properties = new
            {
                companyName = name,
                address = new { line1 = "1 Test Street", city = "Berlin", postalCode = "10115", country = "DE" },
                contact = new { firstName = "Test", lastName = "Contact", email = contactEmail },
            },
        }), 201);
        return created["id"]!.GetValue<Guid>();
    }

    /// <summary>Adds the O365 service; the customer's contact accepts the Microsoft Customer Agreement.</summary>
    public static ApiRequest Onboard(Guid customerId, string domainPrefix) =>
        ApiRequest.Post($"/api/v1/customers/{customerId}/o365", new { domainPrefix, microsoftCustomerAgreement = new { accepted = true } });

    public async Task<Guid> OnboardAsync(Guid customerId, string domainPrefix) =>
        (await ExpectAsync(Onboard(customerId, domainPrefix), 201))["tenantId"]!.GetValue<Guid>();

    public static ApiRequest Buy(Guid customerId, string offerId, int quantity, string friendlyName) =>
        ApiRequest.Post($"/api/v1/customers/{customerId}/o365/subscriptions", new { offerId, quantity, friendlyName });

    public async Task<Guid> BuyAsync(Guid customerId, string offerId, int quantity, string friendlyName) =>
        (await ExpectAsync(Buy(customerId, offerId, quantity, friendlyName), 201))["id"]!.GetValue<Guid>();

    public static ApiRequest NewUser(Guid customerId, string userName, string sendCredentialsTo) =>
        ApiRequest.Post($"/api/v1/customers/{customerId}/o365/users", new
        {
            firstName = "Res",
            lastName = userName,
            userName,
            usageLocation = "DE",
            generatePassword = true,
            sendCredentialsTo,
        });

    public async Task<Guid> CreateUserAsync(Guid customerId, string userName, string sendCredentialsTo) =>
        (await ExpectAsync(NewUser(customerId, userName, sendCredentialsTo), 201))["id"]!.GetValue<Guid>();

    public static ApiRequest Subscribe(Guid customerId, IEnumerable<Guid> userIds, IEnumerable<Guid> subscriptionIds) =>
        ApiRequest.Post($"/api/v1/customers/{customerId}/o365/users/subscribe", new { userIds, subscriptionIds });

    public static ApiRequest Unsubscribe(Guid customerId, IEnumerable<Guid> userIds, IEnumerable<Guid> subscriptionIds) =>
        ApiRequest.Post($"/api/v1/customers/{customerId}/o365/users/unsubscribe", new { userIds, subscriptionIds });

    public static ApiRequest ChangeSubscription(Guid customerId, Guid subscriptionId, object change) =>
        ApiRequest.Patch($"/api/v1/customers/{customerId}/o365/subscriptions/{subscriptionId}", change);

    public async Task<JsonArray> SubscriptionsAsync(Guid customerId) =>
        (await ExpectAsync(ApiRequest.Get($"/api/v1/customers/{customerId}/o365/subscriptions?pageSize=500"), 200))["items"]!.AsArray();

    public async Task<JsonArray> SubscriptionEventsAsync(Guid customerId, Guid subscriptionId) =>
        (await ExpectAsync(ApiRequest.Get($"/api/v1/customers/{customerId}/o365/subscriptions/{subscriptionId}/events"), 200)).AsArray();

    public async Task<JsonArray> UsersAsync(Guid customerId) =>
        (await ExpectAsync(ApiRequest.Get($"/api/v1/customers/{customerId}/o365/users?pageSize=500"), 200))["items"]!.AsArray();

    public async Task<JsonNode> ServiceAsync(Guid customerId) =>
        await ExpectAsync(ApiRequest.Get($"/api/v1/customers/{customerId}/o365"), 200);

    public async Task ImportCatalogAsync() => await ExpectAsync(new ApiRequest(HttpMethod.Post, "/api/v1/catalog/import"), 200);
}
