using Skyport.ResilienceTests.Harness;

namespace Skyport.ResilienceTests.Crash;

/// <summary>"Subscribe" three users to a subscription of five: each holds the license once in Partner Center and in Skyport.</summary>
public sealed class BulkAssignment : CrashOperation
{
    public override string Name => "bulk assignment";

    public override TimeSpan KillWindow => TimeSpan.FromMilliseconds(800);

    public override async Task<CrashTrial> PrepareAsync(ResilienceRig rig)
    {
        var (customer, tenant, _) = await rig.CustomerWithTenantAsync();
        var subscription = await rig.Api.BuyAsync(customer, Offers.BusinessBasic, 5, rig.Unique("bulk"));
        var users = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            users.Add(await rig.Api.CreateUserAsync(customer, rig.Unique("u"), $"{rig.Unique("cred")}@contact.example"));
        }
        var sku = Offers.LicenseSku[Offers.BusinessBasic];
        var usersBefore = (await rig.Emulator.StateAsync()).Tenant(tenant).ActiveUsers.Count;
        return new CrashTrial(SkyportApi.Subscribe(customer, users, [subscription]), async final =>
        {
            Expect.Status(final, 200, "Subscribe");
            var failed = final.Json.AsArray().Where(r => r!["ok"]!.GetValue<bool>() != true).ToList();
            Expect.That(failed.Count == 0, $"Subscribe reported failures: {string.Join(", ", failed.Select(f => f!.ToJsonString()))}");
            var pc = (await rig.Emulator.StateAsync()).Tenant(tenant);
            Expect.That(pc.ActiveUsers.Count == usersBefore, $"Partner Center's tenant has {pc.ActiveUsers.Count} users, {usersBefore} before Subscribe");
            foreach (var user in users)
            {
                var held = pc.ActiveUsers.Single(u => u.Id == user).Licenses.Count(l => l == sku);
                Expect.That(held == 1, $"User {user} holds the license {held} times in Partner Center");
            }
            await Expect.EventuallyAsync(async () =>
            {
                var skyport = await rig.Api.UsersAsync(customer);
                var licensed = skyport.Count(u => u!["subscriptionIds"]!.AsArray().Any(s => s!.GetValue<Guid>() == subscription));
                Expect.That(licensed == 3, $"Skyport shows {licensed} users holding the subscription, Partner Center 3");
            }, TimeSpan.FromSeconds(5));
        });
    }
}
