using System.Net;
using System.Net.Http.Json;

namespace Skyport.Emulator.Tests;

[Collection(SharedEmulator.Name)]
public sealed class RelationshipTests(EmulatorFixture emulator)
{
    [Fact]
    public async Task A_tenant_of_someone_else_takes_its_domain_and_becomes_a_customer_once_it_accepts_the_relationship()
    {
        var domain = EmulatorFixture.UniquePrefix("existing") + ".onmicrosoft.com";
        using var control = new HttpClient { BaseAddress = new Uri(emulator.BaseUrl) };
        var created = await control.PostAsJsonAsync("/_emulator/tenants", new { domain, companyName = "Existing Tenant Ltd" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var (check, _) = await emulator.SendAsync(HttpMethod.Head, $"/v1/domains/{domain}");
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        var (before, list) = await emulator.GetAsync($"/v1/customers?size=200");
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.DoesNotContain(list.GetProperty("items").EnumerateArray(), c => c.GetProperty("companyProfile").GetProperty("domain").GetString() == domain);
        var (create, error) = await emulator.PostAsync("/v1/customers", EmulatorFixture.CustomerBody(domain));
        Assert.Equal(HttpStatusCode.Conflict, create.StatusCode);
        Assert.Equal(1003, error.GetProperty("code").GetInt32());

        var accepted = await control.PostAsync($"/_emulator/tenants/{domain}/relationship", null);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);

        var (after, customers) = await emulator.GetAsync($"/v1/customers?size=200");
        var customer = Assert.Single(customers.GetProperty("items").EnumerateArray(), c => c.GetProperty("companyProfile").GetProperty("domain").GetString() == domain);
        var (get, _) = await emulator.GetAsync($"/v1/customers/{customer.GetProperty("id").GetString()}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
    }

    [Fact]
    public async Task Accepting_for_an_unknown_domain_is_a_404_and_a_taken_domain_cannot_be_added_twice()
    {
        using var control = new HttpClient { BaseAddress = new Uri(emulator.BaseUrl) };
        Assert.Equal(HttpStatusCode.NotFound, (await control.PostAsync("/_emulator/tenants/nobody.onmicrosoft.com/relationship", null)).StatusCode);
        var domain = EmulatorFixture.UniquePrefix("twice") + ".onmicrosoft.com";
        Assert.Equal(HttpStatusCode.Created, (await control.PostAsJsonAsync("/_emulator/tenants", new { domain })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await control.PostAsJsonAsync("/_emulator/tenants", new { domain })).StatusCode);
    }
}
