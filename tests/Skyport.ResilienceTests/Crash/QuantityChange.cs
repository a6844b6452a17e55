using Skyport.ResilienceTests.Harness;

namespace Skyport.ResilienceTests.Crash;

/// <summary>Change a quantity from 2 to 5: Partner Center and Skyport say 5, and the change is recorded once.</summary>
public sealed class QuantityChange : CrashOperation
{
    public override string Name => "quantity change";

    public override TimeSpan KillWindow => TimeSpan.FromMilliseconds(800);

    public override async Task<CrashTrial> PrepareAsync(ResilienceRig rig)
    {
        var (customer, tenant, _) = await rig.CustomerWithTenantAsync();
        var subscription = await rig.Api.BuyAsync(customer, Offers.BusinessBasic, 2, rig.Unique("qty"));
        return new CrashTrial(SkyportApi.ChangeSubscription(customer, subscription, new { quantity = 5 }), async final =>
        {
            Expect.Status(final, 200, "Change quantity");
            var pc = (await rig.Emulator.StateAsync()).Tenant(tenant);
            Expect.That(pc.Subscriptions.Count == 1 && pc.Subscriptions[0].Quantity == 5, $"Partner Center has {string.Join(", ", pc.Subscriptions)}");
            var skyport = (await rig.Api.SubscriptionsAsync(customer)).Single()!;
            Expect.That(skyport["quantity"]!.GetValue<int>() == 5, $"Skyport shows quantity {skyport["quantity"]}");
            var events = await rig.Api.SubscriptionEventsAsync(customer, subscription);
            var changes = events.Count(e => e!["quantityBefore"]!.GetValue<int>() == 2 && e["quantityAfter"]!.GetValue<int>() == 5);
            Expect.That(changes == 1, $"The change 2 → 5 is recorded {changes} times: {events.ToJsonString()}");
        });
    }
}
