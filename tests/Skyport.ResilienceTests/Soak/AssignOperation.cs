using Skyport.ResilienceTests.Harness;

namespace Skyport.ResilienceTests.Soak;

/// <summary>"Subscribe" one to three users to an active subscription; each user's line says whether Partner Center has it.</summary>
public sealed class AssignOperation : SoakOperation
{
    public override string Name => "assign";

    public override int Weight => 3;

    public override bool CanRun(SoakCustomer customer) => customer.Base("active").Any() && customer.Users.Any(u => !u.Uncertain);

    public override async Task RunAsync(SoakClient client, SoakCustomer customer)
    {
        var subscriptions = customer.Base("active").ToList();
        var subscription = subscriptions[client.Random.Next(subscriptions.Count)];
        var users = customer.Users.Where(u => !u.Uncertain).OrderBy(_ => client.Random.Next()).Take(client.Random.Next(1, 4)).ToList();
        var answer = await client.SendAsync(Name, SkyportApi.Subscribe(customer.Id, users.Select(u => u.Id), [subscription.Id]));
        LicenseAnswers.Apply(answer, users, Offers.LicenseSku[subscription.OfferId], held: true);
    }
}
