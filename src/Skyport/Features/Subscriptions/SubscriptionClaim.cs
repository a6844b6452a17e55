using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Billing.Rating;
using Skyport.PartnerCenter;
using Skyport.Web;

namespace Skyport.Features.Subscriptions;

/// <summary>
/// Runs one change of a subscription in Partner Center while holding the subscription's claim, so that a second change
/// meanwhile is refused (409); a claim whose instance is gone (a crash) is taken over after reading the subscription back,
/// and a change Partner Center does not answer ends with the subscription read back.
/// </summary>
public sealed class SubscriptionClaim(
    SkyportDbContext db, TimeProvider clock, ThisInstance instance, SubscriptionReadBack readBack, ILogger<SubscriptionClaim> logger)
{
    public async Task<Outcome<T>> RunAsync<T>(
        Guid customerId, Guid id, Func<O365Subscription, Guid, Task<Outcome<T>>> change, CancellationToken ct)
    {
        var subscription = await db.O365Subscriptions.SingleOrDefaultAsync(s => s.Id == id && s.OrganizationId == customerId, ct);
        if (subscription is null) return Failure.NotFound("The subscription");
        if (await ActiveTenant.OfAsync(db, customerId, ct) is not { } tenantId)
            return Failure.RuleRefused("This customer has no active O365 CSP Direct service.");
        if (subscription.Status == SubscriptionStatus.Pending)
            return Failure.RuleRefused(SubscriptionRules.BeingProcessed);

        var abandoned = false;
        if (subscription.ChangeStartedAt is not null)
        {
            if (subscription.ChangeOwnerInstanceId is { } owner && await InstanceLiveness.IsAliveAsync(db, owner, ct))
                return Busy();
            abandoned = true; // its instance is gone (a crash): Partner Center may have the change it was making
        }
        subscription.ChangeStartedAt = clock.GetUtcNow();
        subscription.ChangeOwnerInstanceId = instance.Id;
        subscription.Version++;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Busy();
        }
        if (abandoned)
        {
            await readBack.ResyncAsync(subscription, tenantId);
        }

        try
        {
            return await change(subscription, tenantId);
        }
        catch (Exception exception) when (PartnerCenterFailures.IsUnanswered(exception) && !ct.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Partner Center did not answer a change of subscription {Id}", id);
            await readBack.ResyncAsync(subscription, tenantId);
            return Failure.UpstreamFailed("Partner Center did not answer. Skyport shows what Partner Center has; try again.");
        }
        finally
        {
            subscription.ChangeStartedAt = null;
            subscription.ChangeOwnerInstanceId = null;
            subscription.Version++;
            await db.SaveChangesAsync(CancellationToken.None);
        }
    }

    private static Failure Busy() =>
        Failure.Conflict("Another change of this subscription is in progress. Reload it and try again.");
}
