using Skyport.ResilienceTests.Harness;

namespace Skyport.ResilienceTests.Soak;

public sealed class CreateUserOperation : SoakOperation
{
    public override string Name => "create user";

    public override int Weight => 3;

    public override bool CanRun(SoakCustomer customer) => customer.TenantId is not null && customer.Users.Count < 12;

    public override async Task RunAsync(SoakClient client, SoakCustomer customer)
    {
        var userName = client.Unique("u");
        var answer = await client.SendAsync(Name, SkyportApi.NewUser(customer.Id, userName, $"{userName}@contact.example"));
        if (answer is { Status: 201 })
        {
            customer.Users.Add(new SoakUser(answer.Json["id"]!.GetValue<Guid>(), answer.Json["userPrincipalName"]!.GetValue<string>()));
        }
    }
}
