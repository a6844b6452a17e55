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

    [Fact]
    public async Task Extended_lines_say_so_and_a_line_of_an_earlier_offer_names_it()
    {
        var request = A.Scenario().WithCycleEndDay(31).WithGlobalPrice(10.00m).WithGlobalPrice(20.00m, offer: "M365-STD")
            .WithSubscription("S1").WithSubscription("S2", autoRenew: false)
            .Purchase("S1", "2026-05-10T09:00:00Z", 1)
            .Purchase("S2", "2026-05-10T09:00:00Z", 1)
            .ScheduleRenewal("S1", "2026-05-20T09:00:00Z", offer: "M365-STD")
            .Reports("2026-06")
            .Build();

        var response = await _client.PostAsJsonAsync("/api/v1/billing/preview", request, BillingPreviewEndpoint.Json);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var subscriptions = json.RootElement.GetProperty("reports")[0].GetProperty("subscriptions");
        var s1 = subscriptions[0];
        Assert.Equal("M365-STD", s1.GetProperty("offerId").GetString());
        Assert.Equal("M365-BASIC", s1.GetProperty("lines")[0].GetProperty("offerId").GetString());
        Assert.False(s1.GetProperty("lines")[1].TryGetProperty("offerId", out _));
        Assert.False(s1.GetProperty("lines")[1].TryGetProperty("extended", out _));
        var estLine = subscriptions[1].GetProperty("lines")[1];
        Assert.True(estLine.GetProperty("extended").GetBoolean());
        Assert.Equal(10.30m, estLine.GetProperty("unitPrice").GetDecimal());
    }

    [Fact]
    public async Task Bad_rules_v2_events_get_problem_details_naming_each_field()
    {
        var request = A.Scenario().WithGlobalPrice(10.00m).WithGlobalPrice(100.00m, term: "P1Y")
            .WithSubscription("S1").WithSubscription("S2", term: "P1Y")
            .Purchase("S1", "2025-03-01T09:00:00Z", 3, customTermEndDate: "31/03/2025")
            .Event(new PreviewEvent("2025-03-02T09:00:00Z", "S1", "scheduleRenewal"))
            .ScheduleRenewal("S1", "2025-03-02T09:00:00Z", offer: "NO-SUCH-OFFER")
            .ScheduleRenewal("S1", "2025-03-02T09:00:00Z", quantity: 0, term: "P2Y")
            .Upgrade("S1", "2025-03-03T09:00:00Z", "S9", 1)
            .Upgrade("S1", "2025-03-03T09:00:00Z", "S2", 0)
            .Event(new PreviewEvent("2025-03-04T09:00:00Z", "S1", "cancel", CustomTermEndDate: "2025-03-31"))
            .Event(new PreviewEvent("2025-03-04T09:00:00Z", "S1", "upgradeNow"))
            .Reports("2025-03")
            .Build();

        var response = await _client.PostAsJsonAsync("/api/v1/billing/preview", request, BillingPreviewEndpoint.Json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var fields = json.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(
            [
                "events[0].customTermEndDate", "events[1]", "events[2].offerId", "events[3].quantity", "events[3].termDuration",
                "events[4].toSubscriptionId", "events[5].quantity", "events[5].toSubscriptionId", "events[6].customTermEndDate",
                "events[7].type",
            ],
            fields);
    }

    [GeneratedRegex("\"(amount|total)\":(?<value>[^,}\\]]+)")]
    private static partial Regex AmountPattern();
}
