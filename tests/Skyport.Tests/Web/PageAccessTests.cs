using System.Net;
using Skyport.Data;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Web;

/// <summary>The pages that name an organization answer 404 outside the caller's subtree, as the API does.</summary>
public sealed class PageAccessTests(SqliteSkyport app) : IClassFixture<SqliteSkyport>
{
    [Fact]
    public async Task Organization_pages_of_another_subtree_are_not_found_and_cannot_be_changed()
    {
        var otherReseller = await A.Reseller().CreateAsync(app);
        var otherCustomer = await A.Customer().Under(otherReseller).CreateAsync(app);
        var before = await (await app.Broker().GetAsync($"/api/v1/organizations/{otherCustomer}")).ReadJsonAsync();

        var reseller = new Browser(app);
        await reseller.SignInAsync(DemoData.Reseller.Email, DemoData.Reseller.Password);
        foreach (var id in new[] { otherReseller, otherCustomer })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await reseller.GetAsync($"/organization/properties/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await reseller.GetAsync($"/organization/audit/{id}")).StatusCode);
        }
        // A form posted at a foreign id (token taken from the caller's own page) changes nothing.
        var token = await reseller.AntiforgeryTokenAsync("/organization/properties");
        var post = await reseller.PostAsync($"/organization/properties/{otherCustomer}", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Input.CompanyName"] = "Hijacked",
        });
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        var after = await (await app.Broker().GetAsync($"/api/v1/organizations/{otherCustomer}")).ReadJsonAsync();
        Assert.Equal(before.ToJsonString(), after.ToJsonString());

        var customer = new Browser(app);
        await customer.SignInAsync(DemoData.Customer.Email, DemoData.Customer.Password);
        var fabrikam = await Known.IdOfAsync(app, "Fabrikam IT");
        Assert.Equal(HttpStatusCode.NotFound, (await customer.GetAsync($"/organization/properties/{fabrikam}")).StatusCode);
    }
}
