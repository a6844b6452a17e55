using System.Net;
using System.Text.Json.Nodes;

namespace Skyport.Tests.Infrastructure;

/// <summary>Test data builders that create organizations through the API, as a client would.</summary>
public static class A
{
    public static OrganizationBuilder Reseller() => new("reseller");

    public static OrganizationBuilder Customer() => new("customer");
}

public sealed class OrganizationBuilder(string kind)
{
    private string _name = $"{kind} {Guid.NewGuid():N}"[..20];
    private Guid? _parentId;
    private string? _adminEmail;
    private string _country = "DE";
    private bool _withAddress = true;

    public OrganizationBuilder Named(string name) { _name = name; return this; }
    public OrganizationBuilder Under(Guid parentId) { _parentId = parentId; return this; }
    public OrganizationBuilder InCountry(string country) { _country = country; return this; }
    public OrganizationBuilder WithAdministrator(string email) { _adminEmail = email; return this; }
    public OrganizationBuilder WithoutAddress() { _withAddress = false; return this; }

    public object Body(Guid parentId) => new
    {
        name = _name,
        kind,
        parentId,
        properties = new
        {
            companyName = _name,
            address = _withAddress
                ? new { line1 = (string?)"1 Test Street", city = (string?)"Berlin", postalCode = (string?)"10115", country = _country }
                : new { line1 = (string?)null, city = (string?)null, postalCode = (string?)null, country = _country },
            contact = new { firstName = "Test", lastName = "Contact", email = "contact@test.example" },
        },
        administrator = _adminEmail is null ? null : new { email = _adminEmail, firstName = "Ada", lastName = "Admin" },
    };

    /// <summary>Creates the organization as the broker; a customer without a parent goes under the demo reseller.</summary>
    public async Task<Guid> CreateAsync(SkyportApp app)
    {
        var broker = app.Broker();
        var parentId = _parentId ?? await (kind == "reseller" ? Known.BrokerIdAsync(app) : Known.IdOfAsync(app, "Fabrikam IT"));
        var response = await broker.PostJsonAsync("/api/v1/organizations", Body(parentId));
        var created = await response.ExpectAsync(HttpStatusCode.Created);
        return created!["id"]!.GetValue<Guid>();
    }
}

public static class Known
{
    public static async Task<Guid> IdOfAsync(SkyportApp app, string name)
    {
        var list = await app.Broker().GetStringAsync("/api/v1/organizations?pageSize=500");
        var items = JsonNode.Parse(list)!["items"]!.AsArray();
        return items.Single(i => i!["name"]!.GetValue<string>() == name)!["id"]!.GetValue<Guid>();
    }

    public static Task<Guid> BrokerIdAsync(SkyportApp app) => IdOfAsync(app, "Contoso Cloud Broker");
}
