using Skyport.ResilienceTests.Harness;

namespace Skyport.ResilienceTests.Soak;

/// <summary>"Unsubscribe" the users holding a product's license from one of its subscriptions.</summary>
public sealed class UnassignOperation : SoakOperation
{
    public override string Name => "unassign";

    public override int Weight => 2;

    public override bool CanRun(SoakCustomer customer) => customer.Users.Any(u => !u.Uncertain && u.Licenses.Count > 0);

    public override async Task RunAsync(SoakClient client, SoakCustomer customer)
    {
        var holders = customer.Users.Where(u => !u.Uncertain && u.Licenses.Count > 0).ToList();
        var sku = holders[client.Random.Next(holders.Count)].Licenses.First();
        var subscription = customer.Subscriptions.FirstOrDefault(s => s.ParentId is null && Offers.LicenseSku[s.OfferId] == sku);
        if (subscription is null)
        {
            return;
        }
        var users = holders.Where(u => u.Licenses.Contains(sku)).Take(client.Random.Next(1, 3)).ToList();
        var answer = await client.SendAsync(Name, SkyportApi.Unsubscribe(customer.Id, users.Select(u => u.Id), [subscription.Id]));
        LicenseAnswers.Apply(answer, users, sku, held: false);
    }
}
