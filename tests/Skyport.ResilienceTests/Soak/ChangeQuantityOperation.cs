using Skyport.ResilienceTests.Harness;

namespace Skyport.ResilienceTests.Soak;

public sealed class ChangeQuantityOperation : SoakOperation
{
    public override string Name => "change quantity";

    public override int Weight => 3;

    public override bool CanRun(SoakCustomer customer) => customer.Base("active").Any();

    public override async Task RunAsync(SoakClient client, SoakCustomer customer)
    {
        var candidates = customer.Base("active").ToList();
        var subscription = candidates[client.Random.Next(candidates.Count)];
        var quantity = Math.Max(1, subscription.Quantity + client.Random.Next(-2, 4));
        var answer = await client.SendAsync(Name, SkyportApi.ChangeSubscription(customer.Id, subscription.Id, new { quantity }));
        if (answer is null)
        {
            subscription.Uncertain = true;
        }
        else if (answer.Status == 200)
        {
            subscription.Quantity = quantity;
        }
    }
}
