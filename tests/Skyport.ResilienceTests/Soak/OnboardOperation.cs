using Skyport.ResilienceTests.Harness;

namespace Skyport.ResilienceTests.Soak;

public sealed class OnboardOperation : SoakOperation
{
    public override string Name => "onboard";

    public override int Weight => 100; // a customer without its service can do nothing else

    public override bool CanRun(SoakCustomer customer) => customer.TenantId is null;

    public override async Task RunAsync(SoakClient client, SoakCustomer customer)
    {
        if (await client.SendAsync(Name, SkyportApi.Onboard(customer.Id, customer.DomainPrefix)) is { Status: 201 } created)
        {
            customer.TenantId = created.Json["tenantId"]!.GetValue<Guid>();
        }
    }
}
