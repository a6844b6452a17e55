using Skyport.Data;
using System.Net;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.ConnectionCheck;

public sealed class ConnectionCheckApiOnSqlite(SqliteSkyport app) : ConnectionCheckApiTests(app), IClassFixture<SqliteSkyport>;

/// <summary>Issue 12, Skyport 4: <c>GET /api/v1/partner-center/check</c> runs every read Skyport needs and says what is missing.</summary>
public abstract class ConnectionCheckApiTests(SkyportApp app) : IAsyncLifetime
{
    private const string Check = "/api/v1/partner-center/check";
    private readonly EmulatorControl _emulator = new(app);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _emulator.ClearFaultsAsync();

    [Fact]
    public async Task Against_the_emulator_every_read_works_including_a_customers_through_gdap()
    {
        await app.CustomerWithTenantAsync();

        var report = (await (await app.Broker().GetAsync(Check)).ExpectAsync(HttpStatusCode.OK))!;

        var checks = report["checks"]!.AsArray();
        Assert.True(report["ok"]!.GetValue<bool>(), report.ToJsonString());
        Assert.Contains(checks, c => c!["name"]!.GetValue<string>() == "Price sheet" && c["detail"]!.GetValue<string>().Contains("prices"));
        Assert.Contains(checks, c => c!["name"]!.GetValue<string>() == "A customer's users (GDAP)");
        Assert.Contains(checks, c => c!["name"]!.GetValue<string>() == "Graph in a customer's tenant (consent)");
    }

    [Fact]
    public async Task A_refused_read_fails_its_check_only_and_says_what_is_missing()
    {
        await _emulator.InjectAsync(new { method = "GET", pathPattern = "/v1.0/sales/pricesheets*", kind = "error", status = 403, rate = 1.0 });

        var report = (await (await app.Broker().GetAsync(Check)).ExpectAsync(HttpStatusCode.OK))!;

        Assert.False(report["ok"]!.GetValue<bool>());
        var failed = report["checks"]!.AsArray().Where(c => !c!["ok"]!.GetValue<bool>()).ToList();
        var priceSheet = Assert.Single(failed);
        Assert.Equal("Price sheet", priceSheet!["name"]!.GetValue<string>());
        Assert.Contains("lacks a permission or role", priceSheet["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_the_broker_may_run_it()
    {
        var reseller = await app.As(DemoData.Reseller.Email);
        await (await reseller.GetAsync(Check)).ExpectAsync(HttpStatusCode.Forbidden);
    }
}
