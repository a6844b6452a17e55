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

[Collection(SharedEmulator.Name)]
public sealed class ControlPlaneInputTests(EmulatorFixture emulator)
{
    [Theory]
    [InlineData("""[{ "kind": "delay", "delayMs": -5 }]""", "delayMs")]
    [InlineData("""[{ "kind": "error", "status": 200 }]""", "status")]
    [InlineData("""[{ "kind": "throttle", "retryAfterSeconds": -1 }]""", "retryAfterSeconds")]
    [InlineData("""[{ "kind": "explode" }]""", "kind")]
    [InlineData("""[{ "kind": "throttle", "rate": 2 }]""", "rate")]
    public async Task Fault_rules_that_cannot_work_are_refused_and_change_nothing(string body, string field)
    {
        using var control = new HttpClient { BaseAddress = new Uri(emulator.BaseUrl) };
        var response = await control.PutAsync("/_emulator/faults", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync());
        Assert.Equal("[]", await control.GetStringAsync("/_emulator/faults"));
    }

    [Fact]
    public async Task The_clock_refuses_to_jump_centuries_and_the_inspection_form_refuses_json()
    {
        using var control = new HttpClient { BaseAddress = new Uri(emulator.BaseUrl) };
        static async Task<DateTimeOffset> Now(HttpClient c) => (await c.GetFromJsonAsync<System.Text.Json.JsonElement>("/_emulator/clock")).GetProperty("now").GetDateTimeOffset();
        var before = await Now(control);
        var advance = await control.PostAsJsonAsync("/_emulator/clock/advance", new { days = 100_000_000 });
        Assert.Equal(HttpStatusCode.BadRequest, advance.StatusCode);
        Assert.True(await Now(control) - before < TimeSpan.FromMinutes(1), "The clock moved.");

        var json = await control.PostAsJsonAsync("/_emulator/users", new { userName = "x" });
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
    }

    [Fact]
    public async Task A_tenant_where_the_partners_app_was_not_consented_gets_no_token_for_it()
    {
        var domain = EmulatorFixture.UniquePrefix("notyours") + ".onmicrosoft.com";
        using var control = new HttpClient { BaseAddress = new Uri(emulator.BaseUrl) };
        var created = await control.PostAsJsonAsync("/_emulator/tenants", new { domain });
        var id = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString();
        var token = await control.PostAsync($"/{id}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "c", ["client_secret"] = "s", ["scope"] = "https://graph.microsoft.com/.default",
        }));
        Assert.Equal(HttpStatusCode.Unauthorized, token.StatusCode);
        Assert.Contains("AADSTS7000229", await token.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_same_ms_request_id_with_another_body_is_a_new_request()
    {
        var requestId = Guid.NewGuid().ToString();
        var headers = new Dictionary<string, string> { ["MS-RequestId"] = requestId };
        var (first, firstBody) = await emulator.PostAsync("/v1/customers", EmulatorFixture.CustomerBody(EmulatorFixture.UniquePrefix("one") + ".onmicrosoft.com"), headers);
        var (again, againBody) = await emulator.PostAsync("/v1/customers", EmulatorFixture.CustomerBody(EmulatorFixture.UniquePrefix("two") + ".onmicrosoft.com"), headers);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.NotEqual(firstBody.GetProperty("id").GetString(), againBody.GetProperty("id").GetString());
    }
}
