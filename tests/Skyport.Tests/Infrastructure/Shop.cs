using System.Net;

namespace Skyport.Tests.Infrastructure;

/// <summary>What a test needs before it can buy: the imported catalog, and a customer with the O365 service.</summary>
public static class Shop
{
    public const string BusinessBasic = "CFQ7TTC0LH18:0001:CFQ7TTC0K971";
    public const string BusinessStandard = "CFQ7TTC0LDPB:0001:CFQ7TTC0LGNT";
    public const string ExchangeArchiving = "CFQ7TTC0LH0J:0001:CFQ7TTC0EM10";

    public static async Task ImportCatalogAsync(SkyportApp app) =>
        await (await app.Broker().PostAsync("/api/v1/catalog/import", null)).ExpectAsync(HttpStatusCode.OK);

    /// <summary>A new customer under Fabrikam IT with an active O365 CSP Direct service.</summary>
    public static async Task<Guid> CustomerWithO365Async(SkyportApp app) => (await app.CustomerWithTenantAsync()).Id;

    /// <summary>A new customer under Fabrikam IT with the O365 service added (its tenant and admin user made).</summary>
    public static async Task<TenantCustomer> CustomerWithTenantAsync(this SkyportApp app, string country = "DE")
    {
        var customer = await A.Customer().InCountry(country).CreateAsync(app);
        var prefix = "t" + Guid.NewGuid().ToString("N")[..12];
        var created = await app.AddO365Async(customer, prefix);
        return new TenantCustomer(customer, created!["tenantId"]!.GetValue<Guid>(), created["domain"]!.GetValue<string>());
    }

    /// <summary>
    /// Adds the O365 service as a customer does: the contact accepts the Microsoft Customer Agreement, the customer's admin
    /// approves the GDAP relationship Skyport requested (through the emulator's control plane), and the onboarding goes on.
    /// </summary>
    public static async Task<System.Text.Json.Nodes.JsonNode?> AddO365Async(this SkyportApp app, Guid customer, string prefix)
    {
        var body = O365Request(prefix);
        var pending = await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer}/o365", body)).ExpectAsync(HttpStatusCode.Created);
        if (pending!["status"]!.GetValue<string>() != "awaitingApproval") return pending;
        await new EmulatorControl(app).ApproveRelationshipAsync(pending["delegatedAdmin"]!["relationshipId"]!.GetValue<string>());
        return await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer}/o365", body)).ExpectAsync(HttpStatusCode.Created);
    }

    /// <summary>The body of <c>POST /api/v1/customers/{id}/o365</c> with the contact's acceptance of the Microsoft Customer Agreement.</summary>
    public static object O365Request(string prefix) => new { domainPrefix = prefix, microsoftCustomerAgreement = new { accepted = true } };
}

public sealed record TenantCustomer(Guid Id, Guid TenantId, string Domain);
