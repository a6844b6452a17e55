using System.Net;
using Skyport.Data;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Tenants;

/// <summary>The Add service form as a browser posts it: the contact must tick the Microsoft Customer Agreement.</summary>
public sealed class AddServicePageTests(SqliteSkyport app) : IClassFixture<SqliteSkyport>
{
    private static Dictionary<string, string> Form(string prefix, bool acceptAgreement)
    {
        var fields = new Dictionary<string, string>
        {
            ["Input.DomainPrefix"] = prefix,
            ["Input.Contact.FirstName"] = "Test",
            ["Input.Contact.LastName"] = "Contact",
            ["Input.Contact.Email"] = "contact@test.example",
        };
        if (acceptAgreement)
        {
            fields["Input.AcceptAgreement"] = "true";
        }
        return fields;
    }

    private Task<Browser> BrokerAsync() => Browser.SignedInAsync(app, DemoData.Broker);

    [Fact]
    public async Task Without_the_agreement_ticked_the_form_says_so_and_nothing_is_created()
    {
        var customer = await A.Customer().CreateAsync(app);
        var prefix = "pg" + Guid.NewGuid().ToString("N")[..12];
        var browser = await BrokerAsync();
        var url = $"/e-store/o365-csp-direct/add/{customer}";
        Assert.Contains("I accept the <a href=\"https://aka.ms/customeragreement\"", await browser.PageAsync(url));

        var response = await browser.SubmitAsync(url, Form(prefix, acceptAgreement: false));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Accept the Microsoft Customer Agreement to add the service.", await response.Content.ReadAsStringAsync());
        Assert.Empty(await new EmulatorControl(app).TenantsWithDomainAsync($"{prefix}.onmicrosoft.com"));
        await (await app.Broker().GetAsync($"/api/v1/customers/{customer}/o365")).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task With_the_agreement_ticked_my_services_shows_the_approval_link_until_the_customer_approves()
    {
        var customer = await A.Customer().CreateAsync(app);
        var prefix = "pg" + Guid.NewGuid().ToString("N")[..12];
        var browser = await BrokerAsync();

        var response = await browser.SubmitAsync($"/e-store/o365-csp-direct/add/{customer}", Form(prefix, acceptAgreement: true));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/my-services", response.Headers.Location!.OriginalString);
        var services = await browser.PageAsync("/my-services");
        Assert.Contains($"O365 CSP Direct requested for {prefix}.onmicrosoft.com", services);
        Assert.Contains("Awaiting the customer&#x27;s approval of admin access", services);
        var relationshipId = (await (await app.Broker().GetAsync($"/api/v1/customers/{customer}/o365")).ReadJsonAsync())["delegatedAdmin"]!["relationshipId"]!.GetValue<string>();
        Assert.Contains($"granularAdminRelationships/{relationshipId}\">Approval link</a>", services);

        await new EmulatorControl(app).ApproveRelationshipAsync(relationshipId);

        var status = "";
        for (var attempt = 0; attempt < 50 && status != "active"; attempt++)
        {
            await Task.Delay(100);
            status = (await (await app.Broker().GetAsync($"/api/v1/customers/{customer}/o365")).ReadJsonAsync())["status"]!.GetValue<string>();
        }
        Assert.Equal("active", status);
        Assert.DoesNotContain($"granularAdminRelationships/{relationshipId}\">Approval link</a>", await browser.PageAsync("/my-services"));
    }
}
