using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Skyport.Data;
using Skyport.Features.Tenants;

namespace Skyport.UiTests.Infrastructure;

/// <summary>Northwind (the demo customer) with the O365 service, added once per portal through the onboarding use case.</summary>
public static class NorthwindTenant
{
    private static readonly SemaphoreSlim Onboarding = new(1, 1);

    public static async Task<(Guid CustomerId, string Domain, Guid TenantId)> EnsureAsync(IServiceProvider services)
    {
        await Onboarding.WaitAsync();
        try
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SkyportDbContext>();
            var customerId = await db.Organizations.Where(o => o.Name == DemoData.Customer.Organization).Select(o => o.Id).SingleAsync();
            var add = scope.ServiceProvider.GetRequiredService<AddO365Service>();
            var service = await add.FindAsync(customerId, default);
            if (service is not { Status: O365Status.Active })
            {
                var added = await add.RunAsync(customerId, new AddO365Request("northwind" + Random.Shared.Next(10000, 99999), null, new AgreementAcceptance(true)), default);
                Assert.True(added.Succeeded, added.Failure?.Detail);
                service = await add.FindAsync(customerId, default);
            }
            return (customerId, service!.Domain, service.TenantId!.Value);
        }
        finally
        {
            Onboarding.Release();
        }
    }
}
