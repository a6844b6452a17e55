using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Skyport.Emulator.Tests;

public sealed class FaultFixture : EmulatorFixture;

/// <summary>Injected faults: throttling in each service's shape, errors, drops, and repeatability from a seed.</summary>
public sealed class FaultTests(FaultFixture emulator) : IClassFixture<FaultFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => emulator.SendAsync(HttpMethod.Delete, "/_emulator/faults");
    public Task DisposeAsync() => emulator.SendAsync(HttpMethod.Delete, "/_emulator/faults");

    private Task SetFaultsAsync(object rules, int? seed = null) =>
        emulator.SendAsync(HttpMethod.Put, "/_emulator/faults" + (seed is null ? "" : $"?seed={seed}"), rules);

    [Fact]
    public async Task Partner_Center_throttling_uses_the_gateway_body_and_Retry_After()
    {
        await SetFaultsAsync(new[] { new { method = "GET", pathPattern = "/v1/customers*", kind = "throttle", rate = 1.0, retryAfterSeconds = 7, times = 1 } });
        var (response, body) = await emulator.GetAsync("/v1/customers");
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter!.Delta);
        Assert.Equal(429, body.GetProperty("statusCode").GetInt32());
        Assert.Equal("Rate limit is exceeded. Try again in 7 seconds.", body.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.OK, (await emulator.GetAsync("/v1/customers")).Response.StatusCode);
    }

    [Fact]
    public async Task The_Graph_SDK_retry_honours_Retry_After_on_an_injected_429()
    {
        var (tenantId, _, _) = await emulator.CreateCustomerAsync("sdkretry");
        var graph = emulator.Graph(tenantId);
        await SetFaultsAsync(new[] { new { method = "GET", pathPattern = "/graph/v1.0/users", kind = "throttle", rate = 1.0, retryAfterSeconds = 1, times = 1 } });
        var watch = Stopwatch.StartNew();
        var users = await graph.Users.GetAsync();
        watch.Stop();
        Assert.Single(users!.Value!);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        Assert.DoesNotContain((await emulator.GetAsync("/_emulator/faults")).Body.EnumerateArray(), r => r.GetProperty("times").GetInt32() > 0);
    }

    [Fact]
    public async Task Error_faults_answer_in_the_services_shape()
    {
        await SetFaultsAsync(new[] { new { method = "*", pathPattern = "/v1/products*", kind = "error", rate = 1.0, status = 503, retryAfterSeconds = 2, times = 1 } });
        var (response, body) = await emulator.GetAsync("/v1/products?targetView=OnlineServices");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("PartnerFD", body.GetProperty("source").GetString());
    }

    [Fact]
    public async Task A_dropped_answer_still_did_the_work_so_a_retry_with_the_same_MS_RequestId_finds_it()
    {
        var domain = EmulatorFixture.UniquePrefix("drop") + ".onmicrosoft.com";
        await SetFaultsAsync(new[] { new { method = "POST", pathPattern = "/v1/customers", kind = "drop", rate = 1.0, times = 1 } });
        var headers = new Dictionary<string, string> { ["MS-RequestId"] = Guid.NewGuid().ToString() };
        await Assert.ThrowsAsync<HttpRequestException>(() => emulator.PostAsync("/v1/customers", EmulatorFixture.CustomerBody(domain), headers));
        var (retry, body) = await emulator.PostAsync("/v1/customers", EmulatorFixture.CustomerBody(domain), headers);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(domain, body.GetProperty("companyProfile").GetProperty("domain").GetString());
        var (_, state) = await emulator.GetAsync("/_emulator/state");
        Assert.Single(state.GetProperty("tenants").EnumerateArray(), t => t.GetProperty("domain").GetString() == domain);
    }

    [Fact]
    public async Task A_seed_makes_partial_fault_rates_repeatable()
    {
        async Task<string> PatternAsync()
        {
            await SetFaultsAsync(new[] { new { method = "GET", pathPattern = "/v1/invoices", kind = "throttle", rate = 0.5, retryAfterSeconds = 1 } }, seed: 1234);
            var pattern = "";
            for (var i = 0; i < 16; i++) pattern += (await emulator.GetAsync("/v1/invoices")).Response.StatusCode == HttpStatusCode.OK ? "." : "T";
            return pattern;
        }
        var first = await PatternAsync();
        Assert.Contains('T', first);
        Assert.Contains('.', first);
        Assert.Equal(first, await PatternAsync());
    }

    [Fact]
    public async Task Delay_faults_slow_the_answer_down_and_then_answer_normally()
    {
        await SetFaultsAsync(new[] { new { method = "GET", pathPattern = "/v1/invoices", kind = "delay", rate = 1.0, delayMs = 400, times = 1 } });
        var watch = Stopwatch.StartNew();
        var (response, _) = await emulator.GetAsync("/v1/invoices");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(350));
    }

    [Fact]
    public async Task Bad_fault_definitions_are_refused()
    {
        var (response, _) = await emulator.SendAsync(HttpMethod.Put, "/_emulator/faults", new[] { new { kind = "explode", rate = 1.0 } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (rate, _) = await emulator.SendAsync(HttpMethod.Put, "/_emulator/faults", new[] { new { kind = "delay", rate = 2.0 } });
        Assert.Equal(HttpStatusCode.BadRequest, rate.StatusCode);
    }
}

public sealed class ThrottledFixture : EmulatorFixture
{
    protected override Skyport.PartnerCenterEmulator.EmulatorOptions Options => base.Options with { ThrottlingEnabled = true, CustomerRequestsPerMinute = 3 };
}

public sealed class ThrottlingTests(ThrottledFixture emulator) : IClassFixture<ThrottledFixture>
{
    [Fact]
    public async Task Partner_Center_limits_requests_per_customer_when_throttling_is_enabled()
    {
        var (customerId, _, _) = await emulator.CreateCustomerAsync("throttle", prepare: false);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++) statuses.Add((await emulator.GetAsync($"/v1/customers/{customerId}")).Response.StatusCode);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        var (throttled, body) = await emulator.GetAsync($"/v1/customers/{customerId}");
        Assert.True(throttled.Headers.RetryAfter!.Delta > TimeSpan.Zero);
        Assert.StartsWith("Rate limit is exceeded.", body.GetProperty("message").GetString());

        var (other, _, _) = await emulator.CreateCustomerAsync("throttle", prepare: false);
        Assert.Equal(HttpStatusCode.OK, (await emulator.GetAsync($"/v1/customers/{other}")).Response.StatusCode);
    }
}
