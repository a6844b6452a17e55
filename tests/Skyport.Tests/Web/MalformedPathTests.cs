using System.Net;
using System.Text;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Web;

public sealed class MalformedPathsOnSqlite(SqliteSkyport app) : MalformedPathTests(app), IClassFixture<SqliteSkyport>;

public sealed class MalformedPathsOnPostgres(PostgresSkyport app) : MalformedPathTests(app), IClassFixture<PostgresSkyport>;

/// <summary>
/// Every API route with a value in its path, called with values that are not ids, answers a client error as problem
/// details: never a 500, never a bare status. (A NUL in the request line never reaches Skyport behind Kestrel, which
/// refuses it itself; in-process it does, so it is tried here.)
/// </summary>
public abstract class MalformedPathTests(SkyportApp app)
{
    private static readonly string[] MalformedValues = ["abc", "%FF", "%C3%BC%20%E2%80%AE", "-1", new string('a', 5_000)];

    [Fact]
    public async Task Every_route_answers_a_malformed_id_with_problem_details()
    {
        var routes = Routes.Api(app).Where(r => r.Endpoint.RoutePattern.Parameters.Count > 0).ToList();
        Assert.NotEmpty(routes);

        var client = app.Broker();
        var failures = new List<string>();
        foreach (var (method, endpoint) in routes)
        {
            foreach (var value in MalformedValues)
            {
                var url = Routes.Fill(endpoint.RoutePattern, _ => value);
                using var request = new HttpRequestMessage(new HttpMethod(method), url);
                if (method is "POST" or "PUT" or "PATCH")
                {
                    request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                }
                using var response = await client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                var shown = $"{method} {(url.Length > 120 ? url[..120] + "…" : url)}: {(int)response.StatusCode}";
                if ((int)response.StatusCode is < 400 or >= 500)
                {
                    failures.Add($"{shown} (expected a client error)");
                }
                else if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    failures.Add($"{shown} answered {response.Content.Headers.ContentType?.MediaType ?? "no body"}, not problem details");
                }
                else if (!body.Contains("\"title\"", StringComparison.Ordinal) || !body.Contains("\"detail\"", StringComparison.Ordinal))
                {
                    failures.Add($"{shown} problem without title and detail: {body}");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task An_unknown_api_path_and_a_wrong_method_are_problem_details()
    {
        foreach (var (method, url) in new[] { ("GET", "/api/v1/no-such-thing"), ("DELETE", "/api/v1/organizations") })
        {
            using var response = await app.Broker().SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
            Assert.True((int)response.StatusCode is 404 or 405, $"{method} {url}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.ReadJsonAsync();
            Assert.False(string.IsNullOrEmpty(problem["detail"]?.GetValue<string>()), $"{method} {url} has no detail");
        }
    }
}

/// <summary>
/// A NUL in a path (<c>%00</c>) is refused by Kestrel itself, before any of Skyport's code runs, with a bare 400 and the
/// connection closed: no middleware can answer it with problem details. This pins that it stays a 400, not a 500.
/// </summary>
public sealed class NulInPathTests(KestrelSkyport app) : IClassFixture<KestrelSkyport>
{
    [Fact]
    public async Task A_nul_in_the_path_is_a_400_from_kestrel()
    {
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", SkyportApp.BootstrapKey);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/organizations")).StatusCode);
        var response = await client.GetAsync("/api/v1/organizations/%00");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
