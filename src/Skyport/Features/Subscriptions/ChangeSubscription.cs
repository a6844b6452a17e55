using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Audit;
using Skyport.Features.Billing.Rating;
using Skyport.PartnerCenter;
using Skyport.Web;

namespace Skyport.Features.Subscriptions;

/// <summary>
/// Changes a subscription's quantity, status (suspend, activate), auto-renew or friendly name. Each change is made in
/// Partner Center first and stored only from its answer, with an event billing can rate, so Skyport never shows a state
/// Partner Center does not have. One change of a subscription at a time: a second one meanwhile is refused (409).
/// </summary>
public sealed class ChangeSubscription(
    SkyportDbContext db,
    PartnerCenterClient partnerCenter,
    Caller caller,
    AuditLog audit,
    TimeProvider clock,
    ThisInstance instance,
    ConsumedLicenses consumed,
    SubscriptionReadBack readBack,
    ILogger<ChangeSubscription> logger)
{
    private DateOnly Today => Utc.DateOf(clock.GetUtcNow());

    public async Task<Outcome<SubscriptionDto>> ChangeAsync(Guid customerId, Guid id, ChangeSubscriptionRequest asked, CancellationToken ct)
    {
        var checkedRequest = ChangeSubscriptionRules.Check(asked);
        if (!checkedRequest.Succeeded) return checkedRequest.Failure!;
        var request = checkedRequest.Value!;

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
            return await ApplyAsync(subscription, tenantId, request, ct);
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

    /// <param name="request">Checked by <see cref="ChangeSubscriptionRules.Check"/>.</param>
    private async Task<Outcome<SubscriptionDto>> ApplyAsync(O365Subscription s, Guid tenantId, ChangeSubscriptionRequest request, CancellationToken ct)
    {
        // Partner Center takes a status and a quantity in separate requests: activate first, suspend last.
        if (request.Status == "active" && s.Status != SubscriptionStatus.Active)
        {
            if (Refused(SubscriptionRules.CanActivate(s.Status)) is { } refused) return refused;
            if (await SendAsync(s, tenantId, new SubscriptionChange(Status: "active"), SubscriptionEventKind.Activate, ct) is { } failed) return failed;
        }
        if (request.Quantity is { } q && q != s.Quantity)
        {
            var assigned = (await consumed.CountAsync(s.OrganizationId, [s], ct, throwOnFailure: true)).GetValueOrDefault(s.Id);
            var events = await db.SubscriptionEvents.AsNoTracking().Where(e => e.SubscriptionId == s.Id)
                .Select(e => new { e.At, e.Kind, e.QuantityBefore, e.QuantityAfter }).ToListAsync(ct);
            var batches = SubscriptionMath.Batches(events.Select(e => (e.At, e.Kind, e.QuantityBefore, e.QuantityAfter)), s.TermStart(Today));
            var decision = SubscriptionRules.CanChangeQuantity(s.Status, batches, clock.GetUtcNow(), q, assigned);
            if (!decision.IsAllowed)
            {
                await audit.RecordAsync(s.OrganizationId, "Change quantity", "refused", decision.Reason, ct);
                return ChangeSubscriptionRules.QuantityRefused(decision, q, assigned);
            }
            if (await SendAsync(s, tenantId, new SubscriptionChange(Quantity: q), SubscriptionEventKind.ChangeQuantity, ct) is { } failed) return failed;
        }
        if (request.AutoRenew is { } renew && renew != s.AutoRenew)
        {
            if (Refused(SubscriptionRules.CanSetAutoRenew(s.Status, renew)) is { } refused) return refused;
            if (await SendAsync(s, tenantId, new SubscriptionChange(AutoRenewEnabled: renew), SubscriptionEventKind.SetAutoRenew, ct) is { } failed) return failed;
        }
        if (request.FriendlyName is { } friendlyName && friendlyName != (s.FriendlyName ?? ""))
        {
            if (await SendAsync(s, tenantId, new SubscriptionChange(FriendlyName: friendlyName), null, ct) is { } failed) return failed;
        }
        if (request.Status == "suspended" && s.Status != SubscriptionStatus.Suspended)
        {
            if (Refused(SubscriptionRules.CanSuspend(s.Status)) is { } refused) return refused;
            if (await SendAsync(s, tenantId, new SubscriptionChange(Status: "suspended"), SubscriptionEventKind.Suspend, ct) is { } failed) return failed;
        }
        return SubscriptionDto.Of(s, await consumed.OfAsync(s, ct), Today);
    }

    private static Failure? Refused(RuleDecision decision) => decision.IsAllowed ? null : Failure.RuleRefused(decision.Reason!);

    /// <summary>Sends one change to Partner Center and stores what Partner Center answered, with its event.</summary>
    private async Task<Failure?> SendAsync(O365Subscription s, Guid tenantId, SubscriptionChange change, SubscriptionEventKind? kind, CancellationToken ct)
    {
        var result = await partnerCenter.UpdateSubscriptionAsync(tenantId, s.Id, change, ct);
        if (!result.IsSuccess)
        {
            await audit.RecordAsync(s.OrganizationId, "Change subscription", "refused by Partner Center", result.Error!.Description, ct);
            return result.Error!.HttpStatus == 404
                ? Failure.NotFound("The subscription")
                : Failure.RuleRefused($"Partner Center refused the change: {result.Error.Description}");
        }
        var before = s.Quantity;
        var pc = result.Value!;
        s.Quantity = pc.Quantity;
        s.Status = SubscriptionMath.StatusFromPartnerCenter(pc.Status);
        s.AutoRenew = pc.AutoRenewEnabled;
        s.FriendlyName = string.IsNullOrEmpty(pc.FriendlyName) ? s.FriendlyName : pc.FriendlyName;
        if (change.FriendlyName is not null) s.FriendlyName = change.FriendlyName.Length == 0 ? null : change.FriendlyName;
        var now = clock.GetUtcNow();
        if (kind is { } k)
        {
            db.SubscriptionEvents.Add(SubscriptionEventRecord.For(
                s, k, now, before, s.Quantity, k == SubscriptionEventKind.SetAutoRenew ? s.AutoRenew : null, ChangeSide.Skyport, SubscriptionActor.Of(caller), clock.GetUtcNow()));
        }
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(s.OrganizationId, ChangeSubscriptionRules.AuditAction(kind),
            "succeeded", kind == SubscriptionEventKind.ChangeQuantity ? $"{s.Name}: {before} → {s.Quantity}" : s.Name, ct);
        return null;
    }
}
