using System.Net;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Web;

public sealed class OperationsOnSqlite(SqliteSkyport app) : OperationsTests(app), IClassFixture<SqliteSkyport>;

public sealed class OperationsOnPostgres(PostgresSkyport app) : OperationsTests(app), IClassFixture<PostgresSkyport>;

public abstract class OperationsTests(SkyportApp app)
{
    [Fact]
    public async Task Health_checks_the_database()
    {
        var response = await app.Anonymous().GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api()
    {
        var document = await (await app.Anonymous().GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);
        var paths = document!["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/v1/organizations", paths);
        Assert.Contains("/api/v1/organizations/{id}/properties", paths);
        Assert.Contains("/api/v1/organizations/{id}/billing", paths);
    }

    [Fact]
    public async Task An_unknown_page_shows_a_not_found_page()
    {
        var browser = new Browser(app);
        await browser.SignInAsync(Skyport.Data.DemoData.Customer.Email, Skyport.Data.DemoData.Customer.Password);
        var response = await browser.GetAsync($"/organization/properties/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Not found", await response.Content.ReadAsStringAsync());
    }
}
