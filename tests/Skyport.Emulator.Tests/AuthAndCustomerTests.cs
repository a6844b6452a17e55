using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Skyport.Emulator.Tests;

[Collection(SharedEmulator.Name)]
public sealed class AuthAndCustomerTests(EmulatorFixture emulator)
{
    [Fact]
    public async Task Token_endpoint_answers_like_entra_and_refuses_unknown_tenants()
    {
        using var client = new HttpClient();
        var ok = await client.PostAsync($"{emulator.BaseUrl}/{emulator.PartnerTenantId}/oauth2/v2.0/token", Form("client_credentials", "https://api.partnercenter.microsoft.com/.default"));
        using var okBody = JsonDocument.Parse(await ok.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("Bearer", okBody.RootElement.GetProperty("token_type").GetString());
        Assert.True(okBody.RootElement.GetProperty("expires_in").GetInt32() > 0);
        Assert.Equal(3, okBody.RootElement.GetProperty("access_token").GetString()!.Split('.').Length);

        var unknown = await client.PostAsync($"{emulator.BaseUrl}/{Guid.NewGuid()}/oauth2/v2.0/token", Form("client_credentials", "https://graph.microsoft.com/.default"));
        using var unknownBody = JsonDocument.Parse(await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("invalid_request", unknownBody.RootElement.GetProperty("error").GetString());
        Assert.StartsWith("AADSTS90002", unknownBody.RootElement.GetProperty("error_description").GetString());

        var badGrant = await client.PostAsync($"{emulator.BaseUrl}/{emulator.PartnerTenantId}/oauth2/v2.0/token", Form("password", "https://graph.microsoft.com/.default"));
        Assert.Equal(HttpStatusCode.BadRequest, badGrant.StatusCode);
        Assert.Contains("unsupported_grant_type", await badGrant.Content.ReadAsStringAsync());
    }

    private static FormUrlEncodedContent Form(string grant, string scope) => new(new Dictionary<string, string>
    {
        ["grant_type"] = grant, ["client_id"] = "c", ["client_secret"] = "s", ["scope"] = scope,
    });

    [Fact]
    public async Task Missing_unknown_or_foreign_tokens_get_401_in_each_services_shape()
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(emulator.BaseUrl) };
        var pc = await anonymous.GetAsync("/v1/customers");
        Assert.Equal(HttpStatusCode.Unauthorized, pc.StatusCode);
        using (var body = JsonDocument.Parse(await pc.Content.ReadAsStringAsync()))
        {
            Assert.Equal(400, body.RootElement.GetProperty("code").GetInt32());
            Assert.Equal("Access denied", body.RootElement.GetProperty("description").GetString());
        }

        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        var graph = await anonymous.GetAsync("/graph/v1.0/users");
        Assert.Equal(HttpStatusCode.Unauthorized, graph.StatusCode);
        using (var body = JsonDocument.Parse(await graph.Content.ReadAsStringAsync()))
        {
            Assert.Equal("InvalidAuthenticationToken", body.RootElement.GetProperty("error").GetProperty("code").GetString());
        }

        var (customerId, _, _) = await emulator.CreateCustomerAsync("foreign");
        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await emulator.TokenAsync(customerId, "https://api.partnercenter.microsoft.com/.default"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/customers")).StatusCode);
    }

    [Fact]
    public async Task Domain_availability_is_a_HEAD_answering_200_when_taken_and_404_when_free()
    {
        var (_, domain, _) = await emulator.CreateCustomerAsync("domain");
        var taken = await emulator.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v1/domains/{domain.ToUpperInvariant()}"));
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        Assert.Equal(0, taken.Content.Headers.ContentLength ?? 0);
        var free = await emulator.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v1/domains/nobody-has-this-one.onmicrosoft.com"));
        Assert.Equal(HttpStatusCode.NotFound, free.StatusCode);
    }

    [Fact]
    public async Task Create_customer_accepts_PascalCase_and_returns_the_documented_shape()
    {
        var domain = EmulatorFixture.UniquePrefix("pascal") + ".onmicrosoft.com";
        var body = $$"""
        { "CompanyProfile": { "Domain": "{{domain}}" },
          "BillingProfile": { "Culture": "EN-US", "Email": "test@outlook.com", "Language": "en", "CompanyName": "Test company",
            "DefaultAddress": { "FirstName": "Test", "LastName": "Test", "AddressLine1": "One Microsoft Way", "City": "Redmond", "State": "WA", "PostalCode": "98052", "Country": "US" } } }
        """;
        var (response, json) = await emulator.PostAsync("/v1/customers", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = json.GetProperty("id").GetString();
        Assert.Equal(id, json.GetProperty("companyProfile").GetProperty("tenantId").GetString());
        Assert.Equal(domain, json.GetProperty("companyProfile").GetProperty("domain").GetString());
        Assert.Equal("en-US", json.GetProperty("billingProfile").GetProperty("culture").GetString());
        Assert.Equal("One Microsoft Way", json.GetProperty("billingProfile").GetProperty("defaultAddress").GetProperty("addressLine1").GetString());
        Assert.Equal("admin", json.GetProperty("userCredentials").GetProperty("userName").GetString());
        Assert.Equal("Customer", json.GetProperty("attributes").GetProperty("objectType").GetString());

        var (getResponse, got) = await emulator.GetAsync($"/v1/customers/{id}");
        Assert.Equal(HttpStatusCode.OK, getResponse.StatusCode);
        Assert.False(got.TryGetProperty("userCredentials", out _));
        Assert.Equal("reseller", got.GetProperty("relationshipToPartner").GetString());

        var signin = await emulator.PostAsync("/_emulator/signin", new { userPrincipalName = "admin@" + domain, password = json.GetProperty("userCredentials").GetProperty("password").GetString() });
        Assert.Equal(HttpStatusCode.OK, signin.Response.StatusCode);
        var wrong = await emulator.PostAsync("/_emulator/signin", new { userPrincipalName = "admin@" + domain, password = "Wrong-password1" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Response.StatusCode);
    }

    [Fact]
    public async Task Retried_create_with_the_same_MS_RequestId_returns_the_first_answer_and_creates_nothing_more()
    {
        var domain = EmulatorFixture.UniquePrefix("idem") + ".onmicrosoft.com";
        var headers = new Dictionary<string, string> { ["MS-RequestId"] = Guid.NewGuid().ToString(), ["MS-CorrelationId"] = Guid.NewGuid().ToString() };
        var first = await emulator.PostAsync("/v1/customers", EmulatorFixture.CustomerBody(domain), headers);
        var second = await emulator.PostAsync("/v1/customers", EmulatorFixture.CustomerBody(domain), headers);
        Assert.Equal(HttpStatusCode.Created, first.Response.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.Response.StatusCode);
        Assert.Equal(first.Body.GetProperty("id").GetString(), second.Body.GetProperty("id").GetString());
        Assert.Equal(headers["MS-RequestId"], first.Response.Headers.GetValues("MS-RequestId").Single());

        var other = await emulator.PostAsync("/v1/customers", EmulatorFixture.CustomerBody(domain), new Dictionary<string, string> { ["MS-RequestId"] = Guid.NewGuid().ToString() });
        Assert.Equal(HttpStatusCode.Conflict, other.Response.StatusCode);
    }

    [Theory]
    [InlineData("{ not json", 3000)]
    [InlineData("""{ "companyProfile": { "domain": 42 }, "billingProfile": {} }""", 3000)]
    [InlineData("""{ "companyProfile": { "domain": "x.onmicrosoft.com" } }""", 3000)]
    [InlineData("[]", 3000)]
    public async Task Bad_customer_bodies_get_400_in_the_Partner_Center_shape_and_change_nothing(string body, int code)
    {
        var before = (await emulator.GetAsync("/_emulator/state")).Body.GetProperty("tenants").GetArrayLength();
        var (response, json) = await emulator.PostAsync("/v1/customers", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, json.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("description").GetString()));
        Assert.Equal("PartnerFD", json.GetProperty("source").GetString());
        Assert.Equal(JsonValueKind.Array, json.GetProperty("data").ValueKind);
        Assert.Equal(before, (await emulator.GetAsync("/_emulator/state")).Body.GetProperty("tenants").GetArrayLength());
    }

    [Fact]
    public async Task Unknown_customer_gets_404_tenant_not_found()
    {
        var (response, json) = await emulator.GetAsync($"/v1/customers/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(60003, json.GetProperty("code").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await emulator.GetAsync("/v1/customers/not-a-guid")).Response.StatusCode);
    }

    [Fact]
    public async Task Customers_page_with_continuation_token_and_filter_by_domain()
    {
        var prefix = EmulatorFixture.UniquePrefix("page");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await emulator.PostAsync("/v1/customers", EmulatorFixture.CustomerBody($"{prefix}x{i}.onmicrosoft.com"))).Response.StatusCode);
        }
        var filter = Uri.EscapeDataString($$"""{"Field":"Domain","Value":"{{prefix}}","Operator":"starts_with"}""");
        var (first, page1) = await emulator.GetAsync($"/v1/customers?size=2&filter={filter}");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(2, page1.GetProperty("items").GetArrayLength());
        Assert.Equal("Collection", page1.GetProperty("attributes").GetProperty("objectType").GetString());
        var next = page1.GetProperty("links").GetProperty("next");
        var header = next.GetProperty("headers")[0];
        Assert.Equal("MS-ContinuationToken", header.GetProperty("key").GetString());

        var (second, page2) = await emulator.SendAsync(HttpMethod.Get, "/v1" + next.GetProperty("uri").GetString(), null,
            new Dictionary<string, string> { ["MS-ContinuationToken"] = header.GetProperty("value").GetString()! });
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1, page2.GetProperty("items").GetArrayLength());
        Assert.False(page2.GetProperty("links").TryGetProperty("next", out _));
        Assert.Equal($"{prefix}x2.onmicrosoft.com", page2.GetProperty("items")[0].GetProperty("companyProfile").GetProperty("domain").GetString());

        Assert.Equal(HttpStatusCode.BadRequest, (await emulator.GetAsync("/v1/customers?size=501")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await emulator.GetAsync("/v1/customers?size=2&seekOperation=Next")).Response.StatusCode);
    }

    [Fact]
    public async Task Relationship_request_link_names_the_partner()
    {
        var (response, json) = await emulator.GetAsync("/v1/customers/relationshiprequests");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"partnerId={emulator.PartnerTenantId}", json.GetProperty("url").GetString());
        Assert.Equal("RelationshipRequest", json.GetProperty("attributes").GetProperty("objectType").GetString());
    }
}
