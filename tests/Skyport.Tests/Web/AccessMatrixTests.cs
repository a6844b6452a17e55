using System.Net;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Skyport.Data;
using Skyport.Tests.Infrastructure;
using Skyport.Web;

namespace Skyport.Tests.Web;

public sealed class AccessMatrixOnSqlite(SqliteSkyport app) : AccessMatrixTests(app), IClassFixture<SqliteSkyport>;

public sealed class AccessMatrixOnPostgres(PostgresSkyport app) : AccessMatrixTests(app), IClassFixture<PostgresSkyport>;

/// <summary>
/// Every API route that names an organization, called by each role with an organization outside its subtree,
/// answers 404 exactly as an unknown id does. The routes come from the endpoint data source, so a new route is
/// covered the day it is added.
/// </summary>
public abstract class AccessMatrixTests(SkyportApp app)
{
    [Fact]
    public async Task Every_organization_route_answers_404_outside_the_callers_subtree()
    {
        var routes = OrganizationRoutes();
        Assert.NotEmpty(routes);

        var otherReseller = await A.Reseller().CreateAsync(app);
        var otherResellersCustomer = await A.Customer().Under(otherReseller).CreateAsync(app);
        var siblingCustomer = await A.Customer().CreateAsync(app); // under Fabrikam IT, beside Northwind Traders
        var broker = await Known.BrokerIdAsync(app);
        var fabrikam = await Known.IdOfAsync(app, "Fabrikam IT");

        var callers = new (string Role, HttpClient Client, Guid[] Outside)[]
        {
            ("broker", app.Broker(), [Guid.NewGuid()]),
            ("reseller", await app.As(DemoData.Reseller.Email), [broker, otherReseller, otherResellersCustomer, Guid.NewGuid()]),
            ("customer", await app.As(DemoData.Customer.Email), [broker, fabrikam, siblingCustomer, otherResellersCustomer, Guid.NewGuid()]),
        };

        var failures = new List<string>();
        foreach (var (method, endpoint, scope) in routes)
        {
            foreach (var (role, client, outside) in callers)
            {
                foreach (var organizationId in outside)
                {
                    var url = Fill(endpoint.RoutePattern, scope.RouteParameter, organizationId);
                    using var request = new HttpRequestMessage(new HttpMethod(method), url);
                    if (method is "POST" or "PUT" or "PATCH")
                    {
                        request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                    }
                    using var response = await client.SendAsync(request);
                    if (response.StatusCode != HttpStatusCode.NotFound)
                    {
                        failures.Add($"{role} {method} {url}: {(int)response.StatusCode}");
                    }
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void Every_api_route_with_an_id_in_its_path_is_guarded_by_the_access_filter()
    {
        var unguarded = ApiEndpoints()
            .Where(e => e.Endpoint.RoutePattern.Parameters.Count > 0 && e.Endpoint.Metadata.GetMetadata<OrganizationScopeAttribute>() is null)
            .Select(e => $"{e.Method} /{e.Endpoint.RoutePattern.RawText}")
            .ToList();
        Assert.True(unguarded.Count == 0, "Routes without the organization access filter: " + string.Join(", ", unguarded));
    }

    /// <summary>The API routes open to anonymous callers, each with the proof it asks for instead of Skyport's credentials.</summary>
    private static readonly Dictionary<string, string> AnonymousApiRoutes = new()
    {
        ["POST /api/v1/webhooks/partner-center"] = "Partner Center's signature (Partner Center has no Skyport credentials)",
    };

    [Fact]
    public async Task Only_the_listed_api_routes_are_anonymous_and_each_refuses_a_caller_without_its_proof()
    {
        var anonymous = ApiEndpoints()
            .Where(e => e.Endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null)
            .Select(e => $"{e.Method} /{e.Endpoint.RoutePattern.RawText!.TrimStart('/')}")
            .Order()
            .ToList();
        Assert.Equal(AnonymousApiRoutes.Keys.Order(), anonymous);

        foreach (var route in anonymous)
        {
            var (method, path) = (route[..route.IndexOf(' ')], route[(route.IndexOf(' ') + 1)..]);
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
            using var response = await app.Anonymous().SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{route} without {AnonymousApiRoutes[route]}: {(int)response.StatusCode}");
        }
    }

    private List<(string Method, RouteEndpoint Endpoint, OrganizationScopeAttribute Scope)> OrganizationRoutes() =>
        [.. ApiEndpoints()
            .Select(e => (e.Method, e.Endpoint, Scope: e.Endpoint.Metadata.GetMetadata<OrganizationScopeAttribute>()))
            .Where(e => e.Scope is not null)
            .Select(e => (e.Method, e.Endpoint, e.Scope!))];

    private IEnumerable<(string Method, RouteEndpoint Endpoint)> ApiEndpoints() => Routes.Api(app).Select(r => (r.Method, r.Endpoint));

    private static string Fill(RoutePattern pattern, string organizationParameter, Guid organizationId) =>
        Routes.Fill(pattern, name => (name == organizationParameter ? organizationId : Guid.NewGuid()).ToString());
}
