using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Tests.Features.Email;
using Skyport.Tests.Features.Users;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Tenants;

public sealed class OnboardingApiOnSqlite(SqliteSkyport app) : OnboardingApiTests(app), IClassFixture<SqliteSkyport>;

public sealed class OnboardingApiOnPostgres(PostgresSkyport app) : OnboardingApiTests(app), IClassFixture<PostgresSkyport>;

public abstract class OnboardingApiTests(SkyportApp app)
{
    private readonly EmulatorControl _emulator = new(app);

    private static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Adding_the_service_attests_the_agreement_consents_and_requests_gdap_then_waits_for_the_customers_approval()
    {
        var customer = await A.Customer().CreateAsync(app);
        var prefix = NewPrefix();
        var domain = $"{prefix}.onmicrosoft.com";

        var pending = await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer}/o365", Shop.O365Request(prefix))).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("awaitingApproval", pending!["status"]!.GetValue<string>());
        Assert.Null(pending["adminUserPrincipalName"]);
        var relationshipId = pending["delegatedAdmin"]!["relationshipId"]!.GetValue<string>();
        Assert.Equal("approvalPending", pending["delegatedAdmin"]!["status"]!.GetValue<string>());
        Assert.Equal($"https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/{relationshipId}",
            pending["delegatedAdmin"]!["approvalUrl"]!.GetValue<string>());
        var tenant = Assert.Single(await _emulator.TenantsWithDomainAsync(domain));
        var agreement = Assert.Single(tenant["agreements"]!.AsArray());
        Assert.Equal("MicrosoftCustomerAgreement", agreement!["type"]!.GetValue<string>());
        Assert.Equal("contact@test.example", agreement["primaryContact"]!["email"]!.GetValue<string>());
        var consent = Assert.Single(tenant["applicationConsents"]!.AsArray());
        Assert.Equal("skyport", consent!["applicationId"]!.GetValue<string>());
        var relationship = Assert.Single(tenant["adminRelationships"]!.AsArray());
        Assert.Equal(relationshipId, relationship!["id"]!.GetValue<string>());
        Assert.Equal("approvalPending", relationship["status"]!.GetValue<string>());
        Assert.Equal(new[] { Skyport.PartnerCenter.DelegatedAdmin.UserAdministrator, Skyport.PartnerCenter.DelegatedAdmin.LicenseAdministrator }.Order(),
            relationship["roleDefinitionIds"]!.AsArray().Select(r => r!.GetValue<string>()).Order());
        Assert.DoesNotContain(tenant["users"]!.AsArray(), u => u!["userPrincipalName"]!.GetValue<string>() == $"test@{domain}");
        Assert.DoesNotContain(await OutboxToAsync("contact@test.example"), m => m.Subject.Contains(domain));
        var waiting = await (await app.Broker().GetAsync($"/api/v1/customers/{customer}/o365")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("awaitingApproval", waiting!["status"]!.GetValue<string>());

        await _emulator.ApproveRelationshipAsync(relationshipId);
        var active = await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer}/o365", Shop.O365Request(prefix))).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("active", active!["status"]!.GetValue<string>());
        Assert.Equal("active", active["delegatedAdmin"]!["status"]!.GetValue<string>());
        Assert.NotNull(active["delegatedAdmin"]!["endsAt"]);
        var assignment = Assert.Single((await _emulator.TenantsWithDomainAsync(domain)).Single()["adminRelationships"]![0]!["accessAssignments"]!.AsArray());
        Assert.Equal("active", assignment!["status"]!.GetValue<string>());
        var audit = await app.InScopeAsync(s => s.GetRequiredService<SkyportDbContext>().AuditEntries.Where(e => e.OrganizationId == customer).Select(e => e.Action).ToListAsync());
        Assert.Contains("Attest Microsoft Customer Agreement", audit);
        Assert.Contains("Consent application", audit);
        Assert.Contains("Request GDAP relationship", audit);
        Assert.Contains("Assign GDAP roles", audit);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(null)]
    public async Task Without_the_contacts_acceptance_of_the_agreement_the_answer_is_422_naming_the_field_and_nothing_is_created(bool? accepted)
    {
        var customer = await A.Customer().CreateAsync(app);
        var prefix = NewPrefix();
        object body = accepted is null ? new { domainPrefix = prefix } : new { domainPrefix = prefix, microsoftCustomerAgreement = new { accepted } };

        var problem = await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer}/o365", body)).ExpectAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(["microsoftCustomerAgreement.accepted"], problem!["errors"]!.AsObject().Select(e => e.Key));
        Assert.Contains("Microsoft Customer Agreement", problem["detail"]!.GetValue<string>());
        Assert.Empty(await _emulator.TenantsWithDomainAsync($"{prefix}.onmicrosoft.com"));
        await (await app.Broker().GetAsync($"/api/v1/customers/{customer}/o365")).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Adding_the_service_creates_the_tenant_and_its_admin_and_emails_working_credentials()
    {
        var customer = await A.Customer().CreateAsync(app);
        var prefix = NewPrefix();

        var created = await app.AddO365Async(customer, prefix);

        var domain = $"{prefix}.onmicrosoft.com";
        Assert.Equal(domain, created!["domain"]!.GetValue<string>());
        Assert.Equal("active", created["status"]!.GetValue<string>());
        Assert.Equal($"test@{domain}", created["adminUserPrincipalName"]!.GetValue<string>());
        var tenant = Assert.Single(await _emulator.TenantsWithDomainAsync(domain));
        Assert.Equal(created["tenantId"]!.GetValue<Guid>(), tenant["id"]!.GetValue<Guid>());

        var mail = Assert.Single(await OutboxToAsync("contact@test.example"), m => m.Subject.Contains(domain));
        var password = mail.Body.Split('\n').Single(l => l.StartsWith("Temporary password: ")).Split(": ")[1].Trim();
        Assert.Contains($"Sign-in name: test@{domain}", mail.Body);
        Assert.True(await _emulator.SignsInAsync($"test@{domain}", password));

        var read = await (await app.Broker().GetAsync($"/api/v1/customers/{customer}/o365")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("active", read!["status"]!.GetValue<string>());
        Assert.Equal(domain, read["domain"]!.GetValue<string>());
        Assert.NotNull(read["createdAt"]);

        var audit = await app.InScopeAsync(s => s.GetRequiredService<SkyportDbContext>().AuditEntries.Where(e => e.OrganizationId == customer).Select(e => e.Action + ":" + e.Outcome).ToListAsync());
        Assert.Contains("Create Microsoft tenant:created", audit);
        Assert.Contains("Email admin credentials:queued", audit);
        Assert.Contains("Add O365 CSP Direct:succeeded", audit);
        Assert.DoesNotContain(audit, a => a.Contains(password));
    }

    [Fact]
    public async Task The_domain_check_answers_for_a_prefix()
    {
        var customer = await A.Customer().CreateAsync(app);
        var prefix = NewPrefix();
        var free = await (await app.Broker().GetAsync($"/api/v1/customers/{customer}/o365/domain-availability?domain={prefix}")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(free!["available"]!.GetValue<bool>());
        Assert.Equal($"{prefix}.onmicrosoft.com", free["domain"]!.GetValue<string>());

        await _emulator.CreateForeignTenantAsync($"{prefix}.onmicrosoft.com", "Someone Else");
        var taken = await (await app.Broker().GetAsync($"/api/v1/customers/{customer}/o365/domain-availability?domain={prefix}")).ExpectAsync(HttpStatusCode.OK);
        Assert.False(taken!["available"]!.GetValue<bool>());

        var bad = await (await app.Broker().GetAsync($"/api/v1/customers/{customer}/o365/domain-availability?domain=no-dashes")).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("domain", bad!["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task A_taken_domain_answers_409_with_the_relationship_link_and_links_the_tenant_once_accepted()
    {
        var customer = await A.Customer().CreateAsync(app);
        var prefix = NewPrefix();
        var domain = $"{prefix}.onmicrosoft.com";
        await _emulator.CreateForeignTenantAsync(domain, "Existing Tenant Ltd");

        var conflict = await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer}/o365", Shop.O365Request(prefix))).ExpectAsync(HttpStatusCode.Conflict);
        Assert.StartsWith("https://admin.microsoft.com/", conflict!["relationshipRequestUrl"]!.GetValue<string>());
        var pending = await (await app.Broker().GetAsync($"/api/v1/customers/{customer}/o365")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("awaitingRelationship", pending!["status"]!.GetValue<string>());

        await _emulator.AcceptRelationshipAsync(domain);
        var linked = await app.AddO365Async(customer, prefix);
        Assert.Equal("active", linked!["status"]!.GetValue<string>());
        Assert.Equal((await _emulator.TenantsWithDomainAsync(domain)).Single()["id"]!.GetValue<Guid>(), linked["tenantId"]!.GetValue<Guid>());
        Assert.Single(await _emulator.TenantsWithDomainAsync(domain));
    }

    [Fact]
    public async Task An_accepted_relationship_is_linked_without_anyone_asking_again()
    {
        var customer = await A.Customer().CreateAsync(app);
        var prefix = NewPrefix();
        var domain = $"{prefix}.onmicrosoft.com";
        await _emulator.CreateForeignTenantAsync(domain, "Existing Tenant Ltd");
        await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer}/o365", Shop.O365Request(prefix))).ExpectAsync(HttpStatusCode.Conflict);

        await _emulator.AcceptRelationshipAsync(domain);

        var awaiting = await ServiceOnceAsync(customer, "awaitingApproval");
        await _emulator.ApproveRelationshipAsync(awaiting["delegatedAdmin"]!["relationshipId"]!.GetValue<string>());
        await ServiceOnceAsync(customer, "active");
        var audit = await app.InScopeAsync(s => s.GetRequiredService<SkyportDbContext>().AuditEntries.Where(e => e.OrganizationId == customer).Select(e => e.Outcome).ToListAsync());
        Assert.Contains("linked after the relationship was accepted", audit);
    }

    [Fact]
    public async Task An_incomplete_address_answers_422_naming_the_fields_and_sends_nothing()
    {
        var customer = await A.Customer().WithoutAddress().CreateAsync(app);
        var prefix = NewPrefix();

        var problem = await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer}/o365", Shop.O365Request(prefix))).ExpectAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(["address.line1", "address.city", "address.postalCode"], problem!["missingFields"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Contains("address line 1, city, postal code", problem["detail"]!.GetValue<string>());
        Assert.Empty(await _emulator.TenantsWithDomainAsync($"{prefix}.onmicrosoft.com"));
        await (await app.Broker().GetAsync($"/api/v1/customers/{customer}/o365")).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_bad_prefix_is_a_400_naming_the_field()
    {
        var customer = await A.Customer().CreateAsync(app);
        var problem = await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer}/o365", new { domainPrefix = "has space" })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["domainPrefix"], problem!["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task A_retry_with_the_same_idempotency_key_and_a_double_submit_make_one_tenant_and_one_email()
    {
        var customer = await A.Customer().CreateAsync(app);
        var prefix = NewPrefix();
        var key = Guid.NewGuid().ToString();
        async Task<HttpResponseMessage> Send()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/customers/{customer}/o365") { Content = JsonContent.Create(Shop.O365Request(prefix)) };
            request.Headers.Add("Idempotency-Key", key);
            return await app.Broker().SendAsync(request);
        }

        var first = await (await Send()).ExpectAsync(HttpStatusCode.Created);
        var replay = await (await Send()).ExpectAsync(HttpStatusCode.Created);
        var withoutKey = await app.AddO365Async(customer, prefix);

        Assert.Equal(first!["tenantId"]!.GetValue<Guid>(), replay!["tenantId"]!.GetValue<Guid>());
        Assert.Equal(first["tenantId"]!.GetValue<Guid>(), withoutKey!["tenantId"]!.GetValue<Guid>());
        Assert.Single(await _emulator.TenantsWithDomainAsync($"{prefix}.onmicrosoft.com"));
        Assert.Single(await OutboxToAsync("contact@test.example"), m => m.Subject.Contains(prefix));
    }

    [Fact]
    public async Task Concurrent_submits_make_one_tenant_and_one_email()
    {
        var customer = await A.Customer().CreateAsync(app);
        var prefix = NewPrefix();
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            app.Broker().PostJsonAsync($"/api/v1/customers/{customer}/o365", Shop.O365Request(prefix))));

        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        await app.AddO365Async(customer, prefix);
        var tenant = Assert.Single(await _emulator.TenantsWithDomainAsync($"{prefix}.onmicrosoft.com"));
        Assert.Single(tenant["adminRelationships"]!.AsArray());
        Assert.Single(tenant["agreements"]!.AsArray());
        Assert.Single(await OutboxToAsync("contact@test.example"), m => m.Subject.Contains(prefix));
    }

    [Fact]
    public async Task Partner_center_failing_with_503s_gives_a_clear_error_and_a_retry_continues()
    {
        var customer = await A.Customer().CreateAsync(app);
        var prefix = NewPrefix();
        await _emulator.InjectAsync(new { method = "POST", pathPattern = "/v1/customers", kind = "error", status = 503, rate = 1.0, retryAfterSeconds = 0 });
        try
        {
            var problem = await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer}/o365", Shop.O365Request(prefix))).ExpectAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Contains("try again", problem!["detail"]!.GetValue<string>());
            Assert.Empty(await _emulator.TenantsWithDomainAsync($"{prefix}.onmicrosoft.com"));
        }
        finally
        {
            await _emulator.ClearFaultsAsync();
        }

        var created = await app.AddO365Async(customer, prefix);
        Assert.Equal("active", created!["status"]!.GetValue<string>());
        Assert.Single(await _emulator.TenantsWithDomainAsync($"{prefix}.onmicrosoft.com"));
        Assert.Single(await OutboxToAsync("contact@test.example"), m => m.Subject.Contains(prefix));
    }

    [Fact]
    public async Task A_lost_answer_after_the_tenant_was_created_never_makes_a_second_tenant()
    {
        var customer = await A.Customer().CreateAsync(app);
        var prefix = NewPrefix();
        // Partner Center creates the customer, then the connection is cut before the answer, every time it is asked.
        await _emulator.InjectAsync(new { method = "POST", pathPattern = "/v1/customers", kind = "drop", rate = 1.0 });
        try
        {
            var lost = await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer}/o365", Shop.O365Request(prefix))).ExpectAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Contains("try again", lost!["detail"]!.GetValue<string>());
        }
        finally
        {
            await _emulator.ClearFaultsAsync();
        }
        Assert.Single(await _emulator.TenantsWithDomainAsync($"{prefix}.onmicrosoft.com"));

        var created = await app.AddO365Async(customer, prefix);
        Assert.Equal("active", created!["status"]!.GetValue<string>());
        Assert.Single(await _emulator.TenantsWithDomainAsync($"{prefix}.onmicrosoft.com"));
        Assert.Single(await OutboxToAsync("contact@test.example"), m => m.Subject.Contains(prefix));
    }

    [Fact]
    public async Task Changing_the_domain_after_a_lost_answer_is_refused_until_the_first_tenant_is_finished()
    {
        var customer = await A.Customer().CreateAsync(app);
        var (first, second) = (NewPrefix(), NewPrefix());
        await _emulator.InjectAsync(new { method = "POST", pathPattern = "/v1/customers", kind = "drop", rate = 1.0 });
        try
        {
            await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer}/o365", Shop.O365Request(first))).ExpectAsync(HttpStatusCode.ServiceUnavailable);
        }
        finally
        {
            await _emulator.ClearFaultsAsync();
        }

        var refused = await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer}/o365", Shop.O365Request(second))).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains($"'{first}'", refused!["detail"]!.GetValue<string>());
        Assert.Empty(await _emulator.TenantsWithDomainAsync($"{second}.onmicrosoft.com"));

        await app.AddO365Async(customer, first);
        Assert.Single(await _emulator.TenantsWithDomainAsync($"{first}.onmicrosoft.com"));
    }

    [Fact]
    public async Task A_domain_another_organization_uses_is_refused_and_its_tenant_is_left_alone()
    {
        var first = await A.Customer().CreateAsync(app);
        var otherReseller = await A.Reseller().CreateAsync(app);
        var second = await A.Customer().Under(otherReseller).CreateAsync(app);
        var prefix = NewPrefix();
        var created = await app.AddO365Async(first, prefix);

        var refused = await (await app.Broker().PostJsonAsync($"/api/v1/customers/{second}/o365", Shop.O365Request(prefix))).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("already in use", refused!["detail"]!.GetValue<string>());
        Assert.Single(await _emulator.TenantsWithDomainAsync($"{prefix}.onmicrosoft.com"));
        Assert.Single(await OutboxToAsync("contact@test.example"), m => m.Subject.Contains(prefix));
        await (await app.Broker().GetAsync($"/api/v1/customers/{second}/o365")).ExpectAsync(HttpStatusCode.NotFound);
        var still = await (await app.Broker().GetAsync($"/api/v1/customers/{first}/o365")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(created!["tenantId"]!.GetValue<Guid>(), still!["tenantId"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task A_refusal_by_partner_center_is_a_422_and_a_later_try_is_a_new_request_that_succeeds()
    {
        var customer = await A.Customer().CreateAsync(app);
        var prefix = NewPrefix();
        await _emulator.InjectAsync(new { method = "POST", pathPattern = "/v1/customers", kind = "error", status = 400, rate = 1.0, times = 1 });
        try
        {
            var refused = await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer}/o365", Shop.O365Request(prefix))).ExpectAsync(HttpStatusCode.UnprocessableEntity);
            Assert.StartsWith("Partner Center refused the new tenant", refused!["detail"]!.GetValue<string>());
        }
        finally
        {
            await _emulator.ClearFaultsAsync();
        }
        Assert.Equal("active", (await app.AddO365Async(customer, prefix))!["status"]!.GetValue<string>());
        Assert.Single(await _emulator.TenantsWithDomainAsync($"{prefix}.onmicrosoft.com"));
    }

    [Fact]
    public async Task The_domain_check_answers_503_when_partner_center_fails()
    {
        var customer = await A.Customer().CreateAsync(app);
        await _emulator.InjectAsync(new { method = "HEAD", pathPattern = "/v1/domains/*", kind = "error", status = 503, rate = 1.0, retryAfterSeconds = 0 });
        try
        {
            await (await app.Broker().GetAsync($"/api/v1/customers/{customer}/o365/domain-availability?domain={NewPrefix()}")).ExpectAsync(HttpStatusCode.ServiceUnavailable);
        }
        finally
        {
            await _emulator.ClearFaultsAsync();
        }
    }

    [Fact]
    public async Task Customers_whose_country_needs_a_registration_number_are_refused_before_partner_center()
    {
        var customer = await A.Customer().InCountry("HU").CreateAsync(app);
        var prefix = NewPrefix();
        var refused = await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer}/o365", Shop.O365Request(prefix))).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("organization registration number", refused!["detail"]!.GetValue<string>());
        Assert.Empty(await _emulator.TenantsWithDomainAsync($"{prefix}.onmicrosoft.com"));
    }

    [Fact]
    public async Task Another_resellers_administrator_gets_404()
    {
        var customer = await A.Customer().CreateAsync(app);
        var other = await app.AnotherResellerAsync();

        await (await other.PostJsonAsync($"/api/v1/customers/{customer}/o365", new { domainPrefix = NewPrefix() })).ExpectAsync(HttpStatusCode.NotFound);
        await (await other.GetAsync($"/api/v1/customers/{customer}/o365")).ExpectAsync(HttpStatusCode.NotFound);
        await (await other.GetAsync($"/api/v1/customers/{customer}/o365/domain-availability?domain=abc")).ExpectAsync(HttpStatusCode.NotFound);
    }

    /// <summary>The service as the API shows it once the relationship check has brought it to this status.</summary>
    private async Task<System.Text.Json.Nodes.JsonNode> ServiceOnceAsync(Guid customer, string status)
    {
        var service = await (await app.Broker().GetAsync($"/api/v1/customers/{customer}/o365")).ReadJsonAsync();
        for (var attempt = 0; attempt < 50 && service["status"]!.GetValue<string>() != status; attempt++)
        {
            await Task.Delay(100);
            service = await (await app.Broker().GetAsync($"/api/v1/customers/{customer}/o365")).ReadJsonAsync();
        }
        Assert.Equal(status, service["status"]!.GetValue<string>());
        return service;
    }

    private Task<List<Skyport.Features.Email.EmailMessage>> OutboxToAsync(string to) => app.OutboxToAsync(to);
}
