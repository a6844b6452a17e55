using System.Text.Json.Nodes;
using Skyport.ResilienceTests.Harness;

namespace Skyport.ResilienceTests.Soak;

/// <summary>
/// After the soak: the clock moves past the soak's billing cycle, so its reports are issued, and every issued line must come
/// from a recorded event. Per subscription Partner Center holds, the event trail ends at Partner Center's quantity and the
/// report's last period bills exactly that many seats (the starting seats plus or minus one line per change; none once
/// cancelled); no line names a
/// subscription Partner Center does not hold, none is issued twice, and no recorded event is refused by the rating engine.
/// </summary>
public static class SoakBilling
{
    public static async Task<int> CheckAsync(SkyportApi api, EmulatorProcess emulator, IEnumerable<SoakCustomer> customers, SoakFindings findings)
    {
        var state = await emulator.StateAsync();
        var before = await emulator.NowAsync();
        await emulator.AdvanceClockAsync(days: 32);
        await Task.Delay(1000); // Skyport follows the emulator's clock every 200 ms
        var range = $"from={before.AddMonths(-1):yyyy-MM}&to={before.AddDays(32):yyyy-MM}";
        var lines = 0;
        foreach (var customer in customers)
        {
            var service = await api.ServiceAsync(customer.Id);
            if (service["status"]?.GetValue<string>() != "active")
            {
                continue;
            }
            var held = state.Tenant(service["tenantId"]!.GetValue<Guid>()).Subscriptions;
            var answer = await api.ExpectAsync(ApiRequest.Get($"/api/v1/customers/{customer.Id}/billing/reports?{range}"), 200);
            foreach (var rejected in answer["rejected"]!.AsArray())
            {
                findings.Mismatches.Add($"{customer.Domain}: a recorded event is refused by rating: {rejected!.ToJsonString()}");
            }
            var issued = answer["reports"]!.AsArray().Where(r => r!["issued"]!.GetValue<bool>()).ToList();
            var billed = issued
                .SelectMany(r => r!["subscriptions"]!.AsArray().SelectMany(s => s!["lines"]!.AsArray()).Select(l => (Report: r!["billingDate"]!.GetValue<string>(), Line: l!)))
                .ToList();
            lines += billed.Count;
            // Two equal changes on one day make two equal lines, so "issued once" is one report per billing date.
            foreach (var twice in issued.GroupBy(r => r!["billingDate"]!.GetValue<string>()).Where(g => g.Count() > 1))
            {
                findings.Duplicates.Add($"{customer.Domain}: {twice.Count()} reports issued for {twice.Key}");
            }
            foreach (var stray in billed.Select(b => b.Line["subscriptionId"]!.GetValue<string>()).Distinct().Where(id => held.All(s => s.Id.ToString() != id)))
            {
                findings.Mismatches.Add($"{customer.Domain}: lines issued for subscription {stray}, which Partner Center does not hold");
            }
            foreach (var subscription in held)
            {
                await SubscriptionAsync(api, customer, subscription, billed, findings);
            }
        }
        return lines;
    }

    private static async Task SubscriptionAsync(
        SkyportApi api, SoakCustomer customer, PcSubscription subscription, List<(string Report, JsonNode Line)> billed, SoakFindings findings)
    {
        var events = await api.SubscriptionEventsAsync(customer.Id, subscription.Id);
        var cancelled = subscription.Status.Equals("deleted", StringComparison.OrdinalIgnoreCase);
        if (cancelled && events.LastOrDefault()?["kind"]?.GetValue<string>() != "cancel")
        {
            findings.Mismatches.Add($"{customer.Domain}: subscription {subscription.Id} is cancelled in Partner Center, its events end with {events.LastOrDefault()?["kind"]}");
            return;
        }
        if (events.Count == 0 || events[^1]!["quantityAfter"]!.GetValue<int>() != subscription.Quantity)
        {
            findings.Mismatches.Add($"{customer.Domain}: the events of subscription {subscription.Id} end at {(events.Count == 0 ? "nothing" : events[^1]!["quantityAfter"])} seats, Partner Center has {subscription.Quantity}");
            return;
        }
        var own = billed.Where(b => b.Line["subscriptionId"]!.GetValue<string>() == subscription.Id.ToString()).ToList();
        if (own.Count == 0)
        {
            findings.Mismatches.Add($"{customer.Domain}: subscription {subscription.Id} ({subscription.Quantity} seats) has no issued line");
            return;
        }
        var lastReport = own.Max(b => b.Report)!;
        var lastPeriod = own.Where(b => b.Report == lastReport).Max(b => b.Line["periodEnd"]!.GetValue<string>())!;
        var seats = own.Where(b => b.Report == lastReport && b.Line["periodEnd"]!.GetValue<string>() == lastPeriod).Sum(b => Seats(b.Line));
        // A cancelled subscription's seats are refunded from the cancellation: its last period bills none.
        var expected = cancelled ? 0 : subscription.Quantity;
        if (seats != expected)
        {
            findings.Mismatches.Add($"{customer.Domain}: the report of {lastReport} bills {seats} seats of subscription {subscription.Id} up to {lastPeriod}, Partner Center has {subscription.Quantity}{(cancelled ? " cancelled" : "")}");
        }
    }

    /// <summary>Refunds carry a positive quantity and a negative amount: the seats that came off.</summary>
    private static int Seats(JsonNode line) =>
        line["type"]!.GetValue<string>() == "refund" ? -line["quantity"]!.GetValue<int>() : line["quantity"]!.GetValue<int>();
}
