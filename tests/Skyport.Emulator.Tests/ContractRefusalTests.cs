using System.Net;
using System.Net.Http.Json;

namespace Skyport.Emulator.Tests;

/// <summary>What Microsoft refuses before a partner has the customer's agreement, consent and GDAP roles.</summary>
[Collection(SharedEmulator.Name)]
public sealed class ContractRefusalTests(EmulatorFixture emulator)
{
    private const string Gdap = "/graph/v1.0/tenantRelationships/delegatedAdminRelationships";

    [Fact]
    public async Task The_agreement_template_is_published_and_an_attestation_is_validated_listed_and_not_repeated()
    {
        var (template, body) = await emulator.GetAsync("/v1/agreements?agreementType=MicrosoftCustomerAgreement");
        Assert.Equal(HttpStatusCode.OK, template.StatusCode);
        Assert.Equal("117a77b0-9360-443b-8795-c6dedc750cf9", body.GetProperty("items")[0].GetProperty("templateId").GetString());
        Assert.Equal(0, (await emulator.GetAsync("/v1/agreements")).Body.GetProperty("totalCount").GetInt32());

        var (customer, _, _) = await emulator.CreateCustomerAsync("mca", prepare: false);
        var (missing, error) = await emulator.PostAsync($"/v1/customers/{customer}/agreements", new { type = "MicrosoftCustomerAgreement", templateId = "117a77b0-9360-443b-8795-c6dedc750cf9", dateAgreed = "2026-01-10T00:00:00Z" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains(error.GetProperty("data").EnumerateArray(), d => d.GetString()!.StartsWith("primaryContact"));

        await emulator.AttestAgreementAsync(customer);
        var (listed, agreements) = await emulator.GetAsync($"/v1/customers/{customer}/agreements?agreementType=MicrosoftCustomerAgreement");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var agreement = Assert.Single(agreements.GetProperty("items").EnumerateArray());
        Assert.Equal("ada@example.com", agreement.GetProperty("primaryContact").GetProperty("email").GetString());
        Assert.NotEqual(Guid.Empty, agreement.GetProperty("userId").GetGuid());
        Assert.Equal(0, (await emulator.GetAsync($"/v1/customers/{customer}/agreements")).Body.GetProperty("totalCount").GetInt32());

        var again = await emulator.PostAsync($"/v1/customers/{customer}/agreements", new
        {
            primaryContact = new { firstName = "Ada", lastName = "Lovelace", email = "ada@example.com" },
            templateId = "117a77b0-9360-443b-8795-c6dedc750cf9", dateAgreed = "2026-01-11T00:00:00Z", type = "MicrosoftCustomerAgreement",
        });
        Assert.Equal(HttpStatusCode.Conflict, again.Response.StatusCode);
        Assert.Equal(600061, again.Body.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task A_checkout_without_an_attested_agreement_is_forbidden_with_13605()
    {
        var (customer, _, _) = await emulator.CreateCustomerAsync("nomca", prepare: false);
        var (_, cart) = await emulator.PostAsync($"/v1/customers/{customer}/carts", new { lineItems = new[] { new { catalogItemId = "CFQ7TTC0LH18:0001:CFQ7TTC0K971", quantity = 1, termDuration = "P1M", billingCycle = "Monthly" } } });
        var cartId = cart.GetProperty("id").GetString();
        var (refused, error) = await emulator.PostAsync($"/v1/customers/{customer}/carts/{cartId}/checkout", null);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(13605, error.GetProperty("code").GetInt32());

        await emulator.AttestAgreementAsync(customer);
        Assert.Equal(HttpStatusCode.Created, (await emulator.PostAsync($"/v1/customers/{customer}/carts/{cartId}/checkout", null)).Response.StatusCode);
    }

    [Fact]
    public async Task Entra_issues_a_token_in_a_customer_tenant_only_while_the_app_is_consented_there()
    {
        var (customer, _, _) = await emulator.CreateCustomerAsync("consent", prepare: false);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(customer)).StatusCode);
        var consent = new
        {
            applicationId = EmulatorFixture.ClientId,
            applicationGrants = new[] { new { enterpriseApplicationId = "00000003-0000-0000-c000-000000000000", scope = "User.ReadWrite.All" } },
        };
        Assert.Equal(HttpStatusCode.Created, (await emulator.PostAsync($"/v1/customers/{customer}/applicationconsents", consent)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await emulator.PostAsync($"/v1/customers/{customer}/applicationconsents", consent)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(customer)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await emulator.SendAsync(HttpMethod.Delete, $"/v1/customers/{customer}/applicationconsents/{EmulatorFixture.ClientId}")).Response.StatusCode);
        var refused = await TokenAsync(customer);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var body = await refused.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
        Assert.Contains("AADSTS7000229", body.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task Customer_users_and_licenses_need_an_active_relationship_whose_assignment_grants_the_role()
    {
        var (customer, _, _) = await emulator.CreateCustomerAsync("gdap", prepare: false);
        var users = $"/v1/customers/{customer}/users";
        var (refused, error) = await emulator.GetAsync(users);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(900308, error.GetProperty("code").GetInt32());

        // License Administrator alone reads subscribed SKUs but not users.
        await emulator.ActiveRelationshipAsync(customer, [EmulatorFixture.LicenseAdministrator]);
        Assert.Equal(HttpStatusCode.OK, (await emulator.GetAsync($"/v1/customers/{customer}/subscribedskus")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await emulator.GetAsync(users)).Response.StatusCode);

        await emulator.ActiveRelationshipAsync(customer, [EmulatorFixture.UserAdministrator]);
        Assert.Equal(HttpStatusCode.OK, (await emulator.GetAsync(users)).Response.StatusCode);
    }

    [Fact]
    public async Task A_relationship_is_created_locked_for_approval_approved_by_the_customer_assigned_and_expires()
    {
        var (customer, _, _) = await emulator.CreateCustomerAsync("lifecycle", prepare: false);
        var graph = await emulator.PartnerGraphAsync();
        var name = EmulatorFixture.UniquePrefix("life");
        object Body(string duration) => new
        {
            displayName = name, duration, customer = new { tenantId = customer },
            accessDetails = new { unifiedRoles = new[] { new { roleDefinitionId = EmulatorFixture.UserAdministrator } } },
        };
        Assert.Equal(HttpStatusCode.BadRequest, (await graph.PostAsync(Gdap, Body("P3Y"))).Response.StatusCode);
        var (created, relationship) = await graph.PostAsync(Gdap, Body("P1D"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("created", relationship.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await graph.PostAsync(Gdap, Body("P1D"))).Response.StatusCode);
        var id = relationship.GetProperty("id").GetString()!;
        var assign = new
        {
            accessContainer = new { accessContainerId = EmulatorFixture.AdminAgentsGroup, accessContainerType = "securityGroup" },
            accessDetails = new { unifiedRoles = new[] { new { roleDefinitionId = EmulatorFixture.UserAdministrator } } },
        };
        Assert.Equal(HttpStatusCode.BadRequest, (await graph.PostAsync($"{Gdap}/{id}/accessAssignments", assign)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await emulator.PostAsync($"/_emulator/relationships/{id}/approve", null)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await graph.PostAsync($"{Gdap}/{id}/requests", new { action = "approve" })).Response.StatusCode);

        var (locked, request) = await graph.PostAsync($"{Gdap}/{id}/requests", new { action = "lockForApproval" });
        Assert.Equal(HttpStatusCode.Created, locked.StatusCode);
        Assert.Equal("lockForApproval", request.GetProperty("action").GetString());
        Assert.Equal("approvalPending", (await graph.GetAsync($"{Gdap}/{id}")).Body.GetProperty("status").GetString());

        Assert.Equal(HttpStatusCode.OK, (await emulator.PostAsync($"/_emulator/relationships/{id}/approve", null)).Response.StatusCode);
        var active = (await graph.GetAsync($"{Gdap}/{id}")).Body;
        Assert.Equal("active", active.GetProperty("status").GetString());
        Assert.Equal(active.GetProperty("activatedDateTime").GetDateTimeOffset().AddDays(1), active.GetProperty("endDateTime").GetDateTimeOffset());
        var (assigned, assignment) = await graph.PostAsync($"{Gdap}/{id}/accessAssignments", assign);
        Assert.Equal(HttpStatusCode.Created, assigned.StatusCode);
        Assert.Equal("pending", assignment.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await emulator.GetAsync($"/v1/customers/{customer}/users")).Response.StatusCode);

        await emulator.AdvanceAsync(days: 2);
        Assert.Equal("expired", (await graph.GetAsync($"{Gdap}/{id}")).Body.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await emulator.GetAsync($"/v1/customers/{customer}/users")).Response.StatusCode);

        // A customer token cannot manage the partner's relationships.
        var customerConsent = await emulator.PostAsync($"/v1/customers/{customer}/applicationconsents", new
        {
            applicationId = EmulatorFixture.ClientId,
            applicationGrants = new[] { new { enterpriseApplicationId = "00000003-0000-0000-c000-000000000000", scope = "User.ReadWrite.All" } },
        });
        Assert.Equal(HttpStatusCode.Created, customerConsent.Response.StatusCode);
        var asCustomer = new EmulatorClient(emulator.BaseUrl, await emulator.TokenAsync(customer, "https://graph.microsoft.com/.default"));
        Assert.Equal(HttpStatusCode.Forbidden, (await asCustomer.GetAsync($"{Gdap}/{id}")).Response.StatusCode);
    }

    private async Task<HttpResponseMessage> TokenAsync(Guid tenant)
    {
        using var client = new HttpClient();
        return await client.PostAsync($"{emulator.BaseUrl}/{tenant}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = EmulatorFixture.ClientId, ["client_secret"] = "secret", ["scope"] = "https://graph.microsoft.com/.default",
        }));
    }
}
