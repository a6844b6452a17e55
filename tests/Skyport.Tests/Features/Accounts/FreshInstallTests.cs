using System.Net;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Accounts;

/// <summary>A production-like first start: no demo data, only a broker name and a bootstrap API key.</summary>
public sealed class FreshInstall : SqliteSkyport
{
    public FreshInstall()
    {
        Set("Skyport:SeedDemo", "false");
        Set("Skyport:BrokerName", "Adventure Works Cloud");
    }
}

public sealed class FreshInstallTests(FreshInstall app) : IClassFixture<FreshInstall>
{
    [Fact]
    public async Task The_bootstrap_key_works_on_a_fresh_install_without_any_demo_data()
    {
        var list = await (await app.Broker().GetAsync("/api/v1/organizations")).ExpectAsync(HttpStatusCode.OK);
        var only = Assert.Single(list!["items"]!.AsArray());
        Assert.Equal("Adventure Works Cloud", only!["name"]!.GetValue<string>());
        Assert.Equal("broker", only["kind"]!.GetValue<string>());

        var reseller = await app.Broker().PostJsonAsync("/api/v1/organizations", A.Reseller().Body(only["id"]!.GetValue<Guid>()));
        await reseller.ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task No_demo_sign_in_exists()
    {
        var browser = new Browser(app);
        var response = await browser.SubmitAsync("/account/login", new Dictionary<string, string>
        {
            ["Input.Email"] = Skyport.Data.DemoData.Broker.Email,
            ["Input.Password"] = Skyport.Data.DemoData.Broker.Password,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The email or password is not right.", await response.Content.ReadAsStringAsync());
    }
}
