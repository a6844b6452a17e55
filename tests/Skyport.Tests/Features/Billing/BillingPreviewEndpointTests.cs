using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Skyport.Features.Billing.Preview;

namespace Skyport.Tests.Features.Billing;

/// <summary>POST /api/v1/billing/preview on a small host of its own, as a client sees it.</summary>
public sealed partial class BillingPreviewEndpointTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        _app = builder.Build();
        _app.MapGroup("/api/v1").MapBillingPreview();
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_valid_scenario_returns_its_reports_in_the_contracts_json_shape()
    {
        var request = A.Scenario().WithGlobalPrice(12.50m).WithSubscription("S1")
            .Purchase("S1", "2025-04-01T12:00:00Z", 3)
            .Reports("2025-04")
            .Build();

        var response = await _client.PostAsJsonAsync("/api/v1/billing/preview", request, BillingPreviewEndpoint.Json);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var report = json.RootElement.GetProperty("reports")[0];
        Assert.Equal("2025-04-16", report.GetProperty("billingDate").GetString());
        Assert.Equal("2025-03-16", report.GetProperty("periodStart").GetString());
        Assert.Equal(18.15m, report.GetProperty("total").GetDecimal());
        var subscription = report.GetProperty("subscriptions")[0];
        Assert.Equal(JsonValueKind.Null, subscription.GetProperty("parentId").ValueKind);
        var line = subscription.GetProperty("lines")[0];
        Assert.Equal("proRata", line.GetProperty("type").GetString());
        Assert.Equal("2025-04-01", line.GetProperty("periodStart").GetString());
        Assert.Equal(3, line.GetProperty("quantity").GetInt32());
        Assert.Equal(12.50m, line.GetProperty("unitPrice").GetDecimal());
        Assert.Equal(18.15m, line.GetProperty("amount").GetDecimal());
        Assert.Equal("global", line.GetProperty("priceSource").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("rejected").GetArrayLength());
    }

    [Fact]
    public async Task Amounts_are_numbers_with_at_most_two_decimals()
    {
        var request = A.Scenario().WithGlobalPrice(10.0375m).WithSubscription("S1")
            .Purchase("S1", "2025-01-07T12:00:00Z", 7)
            .ChangeQuantity("S1", "2025-01-09T12:00:00Z", 4)
            .Reports("2025-01", "2025-03")
            .Build();

        var body = await (await _client.PostAsJsonAsync("/api/v1/billing/preview", request, BillingPreviewEndpoint.Json))
            .Content.ReadAsStringAsync();

        var amounts = AmountPattern().Matches(body);
        Assert.True(amounts.Count >= 9, body);
        Assert.All(amounts, match => Assert.Matches(@"^-?\d+(\.\d{1,2})?$", match.Groups["value"].Value));
    }

    [Fact]
    public async Task A_malformed_scenario_gets_problem_details_naming_each_field()
    {
        var request = A.Scenario().WithCycleEndDay(32).WithGlobalPrice(10m).WithSubscription("S1")
            .Purchase("S1", "2025-03-01T09:00:00Z", 0)
            .Reports("2025-05", "2025-03")
            .Build();

        var response = await _client.PostAsJsonAsync("/api/v1/billing/preview", request, BillingPreviewEndpoint.Json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(400, json.RootElement.GetProperty("status").GetInt32());
        var fields = json.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order();
        Assert.Equal(["billingCycleEndDay", "events[0].quantity", "reports.to"], fields);
    }

    [Theory]
    [InlineData("""{"billingCycleEndDay":15,"events":[{"quantity":true}]}""", "events[0].quantity")]
    [InlineData("""{"billingCycleEndDay":"fifteen"}""", "billingCycleEndDay")]
    [InlineData("""{"billingCycleEndDay":15,""", "request")]
    [InlineData("", "request")]
    [InlineData("null", "request")]
    public async Task Json_that_does_not_fit_the_contract_is_a_problem_naming_the_field(string body, string field)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        var response = await _client.PostAsync("/api/v1/billing/preview", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(json.RootElement.GetProperty("errors").TryGetProperty(field, out _), json.RootElement.ToString());
    }

    [GeneratedRegex("\"(amount|total)\":(?<value>[^,}\\]]+)")]
    private static partial Regex AmountPattern();
}
