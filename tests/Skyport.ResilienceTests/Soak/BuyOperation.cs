using Skyport.ResilienceTests.Harness;

namespace Skyport.ResilienceTests.Soak;

/// <summary>Buys with a friendly name of its own, so that a duplicate in Partner Center is found by its name.</summary>
public sealed class BuyOperation : SoakOperation
{
    public override string Name => "buy";

    public override int Weight => 3;

    public override bool CanRun(SoakCustomer customer) => customer.TenantId is not null && customer.Subscriptions.Count < 6;

    public override async Task RunAsync(SoakClient client, SoakCustomer customer)
    {
        var offer = client.Random.Next(2) == 0 ? Offers.BusinessBasic : Offers.BusinessStandard;
        var quantity = client.Random.Next(2, 8);
        var answer = await client.SendAsync(Name, SkyportApi.Buy(customer.Id, offer, quantity, client.Unique("soak")));
        if (answer is { Status: 201 })
        {
            customer.Subscriptions.Add(new SoakSubscription(answer.Json["id"]!.GetValue<Guid>(), offer, null) { Quantity = quantity });
        }
    }
}
