using System.Net;

namespace Skyport.Tests.Infrastructure;

/// <summary>A customer with everything a route can name: its tenant, a subscription, a tenant user, a person in the directory and a bulk job.</summary>
public sealed record FurnishedCustomer(Guid Id, Guid SubscriptionId, Guid UserId, Guid PersonId, Guid JobId)
{
    /// <summary>Every id of this customer, for pools of real ids.</summary>
    public IEnumerable<Guid> Ids => [Id, SubscriptionId, UserId, PersonId, JobId];

    /// <summary>A new customer under the reseller (Fabrikam IT when none), furnished through the API as the broker.</summary>
    public static async Task<FurnishedCustomer> CreateAsync(SkyportApp app, Guid? resellerId = null)
    {
        await Shop.ImportCatalogAsync(app);
        var builder = A.Customer();
        var id = await (resellerId is { } reseller ? builder.Under(reseller) : builder).CreateAsync(app);
        var broker = app.Broker();
        var prefix = "f" + Guid.NewGuid().ToString("N")[..12];
        await app.AddO365Async(id, prefix);
        var subscription = await (await broker.PostJsonAsync($"/api/v1/customers/{id}/o365/subscriptions", new { offerId = Shop.BusinessBasic, quantity = 2 }))
            .ExpectAsync(HttpStatusCode.Created);
        var user = await (await broker.PostJsonAsync($"/api/v1/customers/{id}/o365/users", new
        {
            firstName = "Fern",
            lastName = "Furnished",
            userName = "fern",
            generatePassword = true,
            sendCredentialsTo = "it@furnished.example",
        })).ExpectAsync(HttpStatusCode.Created);
        var person = await (await broker.PostJsonAsync($"/api/v1/customers/{id}/directory/users", new { firstName = "Paula", lastName = "Person", email = $"paula-{prefix}@furnished.example" }))
            .ExpectAsync(HttpStatusCode.Created);
        var job = await broker.RunJobAsync($"/api/v1/customers/{id}/o365/users/subscribe",
            new { userIds = new[] { user!["id"]!.GetValue<Guid>() }, subscriptionIds = new[] { subscription!["id"]!.GetValue<Guid>() } });
        return new FurnishedCustomer(id, subscription["id"]!.GetValue<Guid>(), user["id"]!.GetValue<Guid>(), person!["id"]!.GetValue<Guid>(), job["id"]!.GetValue<Guid>());
    }
}
