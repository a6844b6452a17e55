using System.Net;
using Skyport.Data;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Web;

/// <summary>The pages that name an organization answer 404 outside the caller's subtree, as the API does.</summary>
public sealed class PageAccessTests(SqliteSkyport app) : IClassFixture<SqliteSkyport>
{
    /// <summary>
    /// Every page with an id in its path or query (from the endpoint data source, so a new page is covered the day it is
    /// added), every handler, GET and POST, requested by each role with another subtree's customer, subscription and user:
    /// not found, or refused as a whole (a broker-only page), never the other's data.
    /// </summary>
    [Fact]
    public async Task Every_page_naming_an_id_answers_404_for_another_subtrees_ids_whatever_the_role_and_handler()
    {
        var otherReseller = await A.Reseller().Named("Foreign Reseller").CreateAsync(app);
        var foreign = await FurnishedCustomer.CreateAsync(app, otherReseller);
        var sibling = await FurnishedCustomer.CreateAsync(app); // under Fabrikam IT, beside Northwind Traders
        var foreignName = await ((await app.Broker().GetAsync($"/api/v1/organizations/{foreign.Id}")).ReadJsonAsync()) is var details ? details["name"]!.GetValue<string>() : "";
        var broker = await Known.BrokerIdAsync(app);

        var roles = new (string Role, string Email, string Password, FurnishedCustomer Foreign, FurnishedCustomer? Own, Guid[] ForeignOrganizations)[]
        {
            ("broker", DemoData.Broker.Email, DemoData.Broker.Password, new FurnishedCustomer(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()), sibling, []),
            ("reseller", DemoData.Reseller.Email, DemoData.Reseller.Password, foreign, sibling, [otherReseller, broker]),
            ("customer", DemoData.Customer.Email, DemoData.Customer.Password, sibling, null, [foreign.Id, otherReseller, broker]),
        };
        var pages = (await Routes.PagesAsync(app)).Where(NamesAnId).ToList();
        var failures = new List<string>();
        Assert.Contains(pages, p => p.ToString().Contains("subscriptionId", StringComparison.Ordinal));
        Assert.Contains(pages, p => p.ToString().Contains("userId", StringComparison.Ordinal));

        foreach (var (role, email, password, other, own, organizations) in roles)
        {
            var browser = new Browser(app);
            await browser.SignInAsync(email, password);
            var token = await browser.AntiforgeryTokenAsync();
            foreach (var page in pages)
            {
                if (own is not null)
                {
                    // The control: with its own ids the same page opens, so a 404 below is the access check and not a broken URL.
                    var ownUrl = Urls(page, own, null, []).First();
                    using var opened = await browser.GetAsync(ownUrl);
                    if (opened.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Redirect))
                    {
                        failures.Add($"control: {role} GET {ownUrl} with its own ids: {(int)opened.StatusCode}");
                    }
                }
                foreach (var url in Urls(page, other, own, organizations))
                {
                    var requests = page.GetHandlers().Select(h => ("GET", h.Name))
                        .Concat(page.PostHandlers().Select(h => ("POST", h.Name)))
                        .DefaultIfEmpty(("GET", null));
                    foreach (var (method, handler) in requests)
                    {
                        var target = handler is null ? url : $"{url}{(url.Contains('?') ? '&' : '?')}handler={handler}";
                        using var response = method == "GET"
                            ? await browser.GetAsync(target)
                            : await browser.PostAsync(target, new Dictionary<string, string> { ["__RequestVerificationToken"] = token });
                        var location = response.Headers.Location?.ToString() ?? "";
                        var body = await response.Content.ReadAsStringAsync();
                        var refusedWhole = response.StatusCode == HttpStatusCode.Redirect && location.Contains("/status/403", StringComparison.Ordinal);
                        if (response.StatusCode != HttpStatusCode.NotFound && !refusedWhole || body.Contains(foreignName, StringComparison.Ordinal))
                        {
                            failures.Add($"{role} {method} {target}: {(int)response.StatusCode} {location}");
                        }
                    }
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static bool NamesAnId(PageRoute page) =>
        page.Pattern.Parameters.Any(p => p.ParameterPolicies.Any(policy => policy.Content == "guid"))
        || page.BoundProperties().Any(p => p.OnGet && (Nullable.GetUnderlyingType(p.Type) ?? p.Type) == typeof(Guid));

    /// <summary>The page's URLs with the other subtree's ids; with the caller's own customer beside another's subscription or user too.</summary>
    private static IEnumerable<string> Urls(PageRoute page, FurnishedCustomer other, FurnishedCustomer? own, Guid[] organizations)
    {
        var queryIds = page.BoundProperties().Where(p => p.OnGet && (Nullable.GetUnderlyingType(p.Type) ?? p.Type) == typeof(Guid)).Select(p => p.Name).ToList();
        string Url(Guid customer, FurnishedCustomer rest)
        {
            var path = Routes.Fill(page.Pattern, name => name switch
            {
                "subscriptionId" => rest.SubscriptionId.ToString(),
                "userId" => rest.UserId.ToString(),
                "jobId" => rest.JobId.ToString(),
                _ => customer.ToString(),
            });
            return queryIds.Count == 0 ? path : path + "?" + string.Join('&', queryIds.Select(q => $"{q}={customer}"));
        }
        yield return Url(other.Id, other);
        var names = page.Pattern.Parameters.Select(p => p.Name).ToList();
        if (own is not null && names.Count > 1)
        {
            yield return Url(own.Id, other);
        }
        foreach (var organization in organizations)
        {
            yield return Url(organization, other);
        }
    }

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
