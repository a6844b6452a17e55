using Skyport.ResilienceTests.Harness;

namespace Skyport.ResilienceTests.Crash;

/// <summary>
/// Read last month's report once its cycle has closed, which issues it: it is issued once, with no line twice. The emulator's
/// clock (which Skyport's follows) moves a month on for each trial.
/// </summary>
public sealed class ReportIssuing : CrashOperation
{
    public override string Name => "report issuing";

    public override TimeSpan KillWindow => TimeSpan.FromMilliseconds(400);

    public override async Task<CrashTrial> PrepareAsync(ResilienceRig rig)
    {
        var (customer, _, _) = await rig.CustomerWithTenantAsync();
        var subscription = await rig.Api.BuyAsync(customer, Offers.BusinessBasic, 3, rig.Unique("bill"));
        await rig.Emulator.AdvanceClockAsync(days: 32);
        await Task.Delay(600); // Skyport reads the emulator's clock every 200 ms
        return new CrashTrial(ApiRequest.Get($"/api/v1/customers/{customer}/billing/reports"), async final =>
        {
            Expect.Status(final, 200, "Billing report");
            var reports = final.Json["reports"]!.AsArray();
            Expect.That(reports.Count > 0 && reports.All(r => r!["issued"]!.GetValue<bool>()), $"Last month's report is not issued: {final}");
            var lines = reports.SelectMany(r => r!["subscriptions"]!.AsArray()).SelectMany(s => s!["lines"]!.AsArray()).ToList();
            Expect.That(lines.Any(l => l!["subscriptionId"]!.GetValue<string>() == subscription.ToString()), $"Last month's report has no line of subscription {subscription}: {final}");
            var twice = lines.GroupBy(l => l!.ToJsonString()).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Expect.That(twice.Count == 0, $"Lines issued more than once: {string.Join(", ", twice)}");
            // Read again: an issued report never changes.
            var again = await rig.Api.ExpectAsync(ApiRequest.Get($"/api/v1/customers/{customer}/billing/reports"), 200);
            Expect.That(again["reports"]!.ToJsonString() == final.Json["reports"]!.ToJsonString(), $"The issued report changed when read again: {again.ToJsonString()}");
        });
    }
}
