using Skyport.ResilienceTests.Harness;

namespace Skyport.ResilienceTests.Soak;

public sealed class SuspendOrActivateOperation : SoakOperation
{
    public override string Name => "suspend or activate";

    public override bool CanRun(SoakCustomer customer) => customer.Base("active").Any() || customer.Base("suspended").Any();

    public override async Task RunAsync(SoakClient client, SoakCustomer customer)
    {
        var candidates = customer.Base("active").Concat(customer.Base("suspended")).ToList();
        var subscription = candidates[client.Random.Next(candidates.Count)];
        var status = subscription.Status == "active" ? "suspended" : "active";
        var answer = await client.SendAsync(Name, SkyportApi.ChangeSubscription(customer.Id, subscription.Id, new { status }));
        if (answer is null)
        {
            subscription.Uncertain = true;
        }
        else if (answer.Status == 200)
        {
            subscription.Status = status;
        }
    }
}
