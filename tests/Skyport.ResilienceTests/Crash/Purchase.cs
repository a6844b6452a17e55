using Skyport.ResilienceTests.Harness;

namespace Skyport.ResilienceTests.Crash;

/// <summary>Buy a subscription: one order and one subscription in Partner Center, the same one in Skyport.</summary>
public sealed class Purchase : CrashOperation
{
    public override string Name => "purchase";

    /// <summary>A busy Partner Center answers the read-back after the checkout slowly (as in the issue's probe): a kill lands there often.</summary>
    public override IReadOnlyList<FaultRule> Faults => [FaultRule.Delay(1, 1500, "GET", "/v1/customers/*/subscriptions/*")];

    public override async Task<CrashTrial> PrepareAsync(ResilienceRig rig)
    {
        var (customer, tenant, _) = await rig.CustomerWithTenantAsync();
        var friendlyName = rig.Unique("buy");
        return new CrashTrial(SkyportApi.Buy(customer, Offers.BusinessBasic, 2, friendlyName), async final =>
        {
            Expect.Status(final, 201, "Buy");
            var pc = (await rig.Emulator.StateAsync()).Tenant(tenant);
            Expect.That(pc.Subscriptions.Count == 1 && pc.Orders.Count == 1,
                $"Partner Center has {pc.Subscriptions.Count} subscriptions ({string.Join(", ", pc.Subscriptions.Select(s => s.Id))}) in {pc.Orders.Count} orders for one purchase");
            var skyport = await rig.Api.SubscriptionsAsync(customer);
            Expect.That(skyport.Count == 1 && skyport[0]!["id"]!.GetValue<Guid>() == pc.Subscriptions[0].Id && skyport[0]!["quantity"]!.GetValue<int>() == 2,
                $"Skyport lists {skyport.ToJsonString()}, Partner Center has {pc.Subscriptions[0]}");
            Expect.That(final.Json["id"]!.GetValue<Guid>() == pc.Subscriptions[0].Id, $"The answer names subscription {final.Json["id"]}, Partner Center has {pc.Subscriptions[0].Id}");
        });
    }
}
