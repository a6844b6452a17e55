using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Billing.Reports;

/// <summary>Billing as a client sees it: stored reports, and the preview of the events the history API lists.</summary>
internal static class BillingApi
{
    public static async Task<JsonArray> CustomerReportsAsync(this SkyportApp app, Guid customer, string from, string? to = null) =>
        (await (await app.Broker().GetAsync($"/api/v1/customers/{customer}/billing/reports?from={from}&to={to ?? from}")).ExpectAsync(HttpStatusCode.OK))!["reports"]!.AsArray();

    public static async Task<JsonArray> PreviewAsync(this SkyportApp app, JsonObject scenario) =>
        (await (await app.Broker().PostAsync("/api/v1/billing/preview", new StringContent(scenario.ToJsonString(), Encoding.UTF8, "application/json")))
            .ExpectAsync(HttpStatusCode.OK))!["reports"]!.AsArray();

    /// <summary>A line as a reader checks it: "cycleFee 2026-01-16..2026-02-15 2 x 5.00 = 10.00 global".</summary>
    public static string Line(JsonNode? line) => string.Create(CultureInfo.InvariantCulture,
        $"{line!["type"]} {line["periodStart"]}..{line["periodEnd"]} {line["quantity"]} x {line["unitPrice"]!.GetValue<decimal>():0.00} = {line["amount"]!.GetValue<decimal>():0.00} {line["priceSource"]}");

    public static IEnumerable<JsonNode> LinesOf(JsonNode report) =>
        report["subscriptions"]!.AsArray().SelectMany(s => s!["lines"]!.AsArray()).Select(l => l!);

    /// <summary>The engine's lines of a report (without corrections), described.</summary>
    public static List<string> Charges(JsonNode report) =>
        [.. LinesOf(report).Where(l => l["type"]!.GetValue<string>() != "correction").Select(Line)];

    public static List<JsonNode> Corrections(JsonNode report) =>
        [.. LinesOf(report).Where(l => l["type"]!.GetValue<string>() == "correction")];

    public static JsonNode Report(this JsonArray reports, DateOnly billingDate) =>
        reports.Single(r => r!["billingDate"]!.GetValue<string>() == billingDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))!;

    /// <summary>Stored reports and the preview's agree report by report, subscription by subscription, line by line to the cent.</summary>
    public static void AssertSameAsPreview(JsonArray stored, JsonArray preview)
    {
        Assert.Equal(preview.Count, stored.Count);
        for (var i = 0; i < stored.Count; i++)
        {
            var (s, p) = (stored[i]!, preview[i]!);
            Assert.Equal(p["billingDate"]!.GetValue<string>(), s["billingDate"]!.GetValue<string>());
            Assert.Equal(p["total"]!.GetValue<decimal>(), s["total"]!.GetValue<decimal>());
            Assert.Equal(Subscriptions(p), Subscriptions(s));
            Assert.Equal(LinesOf(p).Select(Line), LinesOf(s).Select(Line));
        }

        static IEnumerable<string> Subscriptions(JsonNode report) => report["subscriptions"]!.AsArray().Select(x => $"{x!["subscriptionId"]} {x["parentId"]} {x["total"]!.GetValue<decimal>():0.00}");
    }

    /// <summary>The month whose cycle (Fabrikam IT's, end day 15) contains the date.</summary>
    public static string CycleMonth(DateOnly date) => (date.Day <= 15 ? date : date.AddMonths(1)).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>The billing date of a month's cycle for Fabrikam IT (end day 15).</summary>
    public static DateOnly BillingDateOf(string month) => DateOnly.ParseExact(month + "-16", "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static async Task<DateOnly> TodayAsync(this EmulatorControl emulator) =>
        DateOnly.Parse((await emulator.StateAsync())["now"]!.GetValue<string>()[..10], CultureInfo.InvariantCulture);

    /// <summary>Moves the clock forward to the next <paramref name="day"/> of a month (today when it is that day); returns the new date.</summary>
    public static async Task<DateOnly> AdvanceToDayAsync(this EmulatorControl emulator, int day)
    {
        var today = await emulator.TodayAsync();
        var target = today.Day <= day ? new DateOnly(today.Year, today.Month, day) : new DateOnly(today.Year, today.Month, day).AddMonths(1);
        if (target > today)
        {
            await emulator.AdvanceClockAsync(target.DayNumber - today.DayNumber);
        }
        return target;
    }

    /// <summary>
    /// The preview request of what a client can read about the customer: its subscriptions, every subscription's history
    /// (<c>GET .../subscriptions/{sid}/events</c>) and both price lists; for Fabrikam IT's cycle (end day 15, EUR).
    /// </summary>
    public static async Task<JsonObject> ScenarioOfAsync(this SkyportApp app, Guid customer, string from, string to)
    {
        var broker = app.Broker();
        var subscriptions = (await (await broker.GetAsync($"/api/v1/customers/{customer}/o365/subscriptions?pageSize=100")).ExpectAsync(HttpStatusCode.OK))!["items"]!.AsArray();
        var events = new List<(DateTimeOffset At, JsonObject Event)>();
        var autoRenewAtPurchase = new Dictionary<string, bool>();
        foreach (var subscription in subscriptions)
        {
            var id = subscription!["id"]!.GetValue<string>();
            foreach (var e in (await (await broker.GetAsync($"/api/v1/customers/{customer}/o365/subscriptions/{id}/events")).ExpectAsync(HttpStatusCode.OK))!.AsArray())
            {
                var kind = e!["kind"]!.GetValue<string>();
                if (kind == "purchase")
                {
                    autoRenewAtPurchase[id] = e["autoRenew"]?.GetValue<bool>() ?? true;
                }
                if (kind == "renew")
                {
                    continue; // rating derives renewals from the terms
                }
                var at = e["at"]!.GetValue<DateTimeOffset>();
                events.Add((at, new JsonObject
                {
                    ["at"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
                    ["subscriptionId"] = id,
                    ["type"] = kind,
                    ["quantity"] = kind is "purchase" or "changeQuantity" ? e["quantityAfter"]!.GetValue<int>() : null,
                    ["autoRenew"] = kind == "setAutoRenew" ? e["autoRenew"]!.GetValue<bool>() : null,
                }));
            }
        }
        var global = (await (await broker.GetAsync("/api/v1/price-lists/global")).ExpectAsync(HttpStatusCode.OK))!["items"]!.AsArray();
        var own = (await (await broker.GetAsync($"/api/v1/customers/{customer}/price-list")).ExpectAsync(HttpStatusCode.OK))!["items"]!.AsArray();
        static JsonArray Prices(JsonArray items) => [.. items.Select(p => (JsonNode)new JsonObject
        {
            ["offerId"] = p!["offerId"]!.GetValue<string>(), ["termDuration"] = p["termDuration"]!.GetValue<string>(),
            ["billingFrequency"] = p["billingFrequency"]!.GetValue<string>(), ["unitPrice"] = p["unitPrice"]!.GetValue<decimal>(),
            ["effectiveFrom"] = p["effectiveFrom"]!.GetValue<string>(),
        })];
        return new JsonObject
        {
            ["billingCycleEndDay"] = 15,
            ["currency"] = "EUR",
            ["priceLists"] = new JsonObject { ["global"] = Prices(global), ["customer"] = Prices(own) },
            ["subscriptions"] = new JsonArray([.. subscriptions.Select(s => (JsonNode)new JsonObject
            {
                ["id"] = s!["id"]!.GetValue<string>(), ["offerId"] = s["offerId"]!.GetValue<string>(), ["termDuration"] = s["termDuration"]!.GetValue<string>(),
                ["billingFrequency"] = s["billingFrequency"]!.GetValue<string>(), ["autoRenew"] = autoRenewAtPurchase.GetValueOrDefault(s["id"]!.GetValue<string>(), true),
                ["parentId"] = s["parentSubscriptionId"]?.GetValue<string>(),
            })]),
            ["events"] = new JsonArray([.. events.OrderBy(e => e.At).Select(e => (JsonNode)e.Event)]),
            ["reports"] = new JsonObject { ["from"] = from, ["to"] = to },
        };
    }
}
