using Skyport.ResilienceTests.Harness;

namespace Skyport.ResilienceTests.Soak;

/// <summary>Buys the first eligible add-on of an active subscription.</summary>
public sealed class BuyAddOnOperation : SoakOperation
{
    public override string Name => "buy add-on";

    public override bool CanRun(SoakCustomer customer) => customer.Base("active").Any() && customer.Subscriptions.Count < 8;

    public override async Task RunAsync(SoakClient client, SoakCustomer customer)
    {
        var bases = customer.Base("active").ToList();
        var parent = bases[client.Random.Next(bases.Count)];
        var path = $"/api/v1/customers/{customer.Id}/o365/subscriptions/{parent.Id}/addons";
        if (await client.SendAsync("list add-ons", ApiRequest.Get(path)) is not { Status: 200 } eligible || eligible.Json.AsArray().Count == 0)
        {
            return;
        }
        var offerId = eligible.Json.AsArray()[0]!["offerId"]!.GetValue<string>();
        var answer = await client.SendAsync(Name, ApiRequest.Post(path, new { offerId, quantity = 1 }));
        if (answer is null)
        {
            parent.AddOnsUncertain = true;
        }
        else if (answer.Status == 201)
        {
            parent.AddOnsBought++;
            customer.Subscriptions.Add(new SoakSubscription(answer.Json["id"]!.GetValue<Guid>(), offerId, parent.Id) { Quantity = 1 });
        }
    }
}
