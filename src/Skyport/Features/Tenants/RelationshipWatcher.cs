using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.PartnerCenter;

namespace Skyport.Features.Tenants;

/// <summary>
/// Links a pending existing tenant as soon as its administrator accepts the reseller relationship: every
/// <c>Skyport:RelationshipCheckInterval</c> it looks each pending domain up among the partner's customers and, once
/// found, finishes the onboarding as if the user had pressed "Check the relationship again".
/// </summary>
public sealed class RelationshipWatcher(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<RelationshipWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(configuration.GetValue("Skyport:RelationshipCheckInterval", TimeSpan.FromMinutes(1)));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Checking pending reseller relationships failed; trying again later");
            }
        }
    }

    private async Task CheckAsync(CancellationToken ct)
    {
        List<(Guid OrganizationId, string DomainPrefix, string Domain, O365Status Status)> pending;
        await using (var scope = scopes.CreateAsyncScope())
        {
            pending = (await scope.ServiceProvider.GetRequiredService<SkyportDbContext>().O365Services.AsNoTracking()
                .Where(s => s.Status == O365Status.AwaitingRelationship || s.Status == O365Status.AwaitingApproval)
                .Select(s => new { s.OrganizationId, s.DomainPrefix, s.Domain, s.Status })
                .ToListAsync(ct))
                .Select(s => (s.OrganizationId, s.DomainPrefix, s.Domain, s.Status)).ToList();
        }
        foreach (var service in pending)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                // A tenant awaiting GDAP approval is ours already; one awaiting the reseller relationship must be found first.
                if (service.Status == O365Status.AwaitingRelationship
                    && await scope.ServiceProvider.GetRequiredService<PartnerCenterClient>().FindCustomerByDomainAsync(service.Domain, ct) is not { IsSuccess: true, Value: not null })
                {
                    continue;
                }
                var customer = await scope.ServiceProvider.GetRequiredService<SkyportDbContext>().Organizations.AsNoTracking()
                    .SingleAsync(o => o.Id == service.OrganizationId, ct);
                var outcome = await scope.ServiceProvider.GetRequiredService<AddO365Service>()
                    .RunAsync(service.OrganizationId, new AddO365Request(service.DomainPrefix, customer.Contact), ct);
                // (The acceptance of the Microsoft Customer Agreement was recorded when the onboarding began.)
                if (outcome.Succeeded)
                {
                    logger.LogInformation("Linked the existing tenant {Domain} after its reseller relationship was accepted", service.Domain);
                }
                else
                {
                    logger.LogWarning("The accepted tenant {Domain} could not be linked yet: {Reason}", service.Domain, outcome.Failure!.Detail);
                }
            }
            catch (Exception exception) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Checking the reseller relationship of {Domain} failed; trying again later", service.Domain);
            }
        }
    }
}
