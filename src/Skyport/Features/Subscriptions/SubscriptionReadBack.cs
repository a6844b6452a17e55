using Skyport.Data;
using Skyport.PartnerCenter;
using Skyport.Web;

namespace Skyport.Features.Subscriptions;

/// <summary>After an unanswered or abandoned request, reads a subscription back so that Skyport shows what Partner Center has.</summary>
public sealed class SubscriptionReadBack(SkyportDbContext db, PartnerCenterClient partnerCenter, Caller caller, TimeProvider clock, ILogger<SubscriptionReadBack> logger)
{
    public async Task ResyncAsync(O365Subscription s, Guid tenantId)
    {
        try
        {
            var read = await partnerCenter.GetSubscriptionAsync(tenantId, s.Id, CancellationToken.None);
            if (read.IsSuccess)
            {
                SubscriptionReconciler.ApplyRemote(db, s, read.Value!, clock.GetUtcNow(), ChangeSide.Skyport, SubscriptionActor.Of(caller));
                await db.SaveChangesAsync(CancellationToken.None);
            }
        }
        catch (Exception exception) when (PartnerCenterFailures.IsUnanswered(exception))
        {
            logger.LogWarning(exception, "Subscription {Id} could not be read back; the scheduled reconcile will catch up", s.Id);
        }
    }
}
