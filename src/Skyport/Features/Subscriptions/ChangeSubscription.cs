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
    ConsumedLicenses consumed,
    SubscriptionClaim claim)
{
    private DateOnly Today => Utc.DateOf(clock.GetUtcNow());

    public async Task<Outcome<SubscriptionDto>> ChangeAsync(Guid customerId, Guid id, ChangeSubscriptionRequest asked, CancellationToken ct)
    {
        var checkedRequest = ChangeSubscriptionRules.Check(asked);
        if (!checkedRequest.Succeeded) return checkedRequest.Failure!;
        var request = checkedRequest.Value!;

        return await claim.RunAsync(customerId, id, (subscription, tenantId) => ApplyAsync(subscription, tenantId, request, ct), ct);
    }

    /// <param name="request">Checked by <see cref="ChangeSubscriptionRules.Check"/>.</param>
    private async Task<Outcome<SubscriptionDto>> ApplyAsync(O365Subscription s, Guid tenantId, ChangeSubscriptionRequest request, CancellationToken ct)
    {
        if (request.Status == "cancelled") return await CancelAsync(s, tenantId, ct);
        if (s.ExtendedSince is not null && (request.Quantity ?? request.AutoRenew ?? (object?)request.Status ?? request.EndOfTermAction) is not null)
            return Refused(Billing.Rating.ExtendedServiceTerm.OnlyCancellation)!;
        // Partner Center takes a status and a quantity in separate requests: activate first, suspend last.
        if (request.Status == "active" && s.Status != SubscriptionStatus.Active)
        {
            if (Refused(SubscriptionRules.CanActivate(s.Status)) is { } refused) return refused;
            if (await SendAsync(s, tenantId, new SubscriptionChange(Status: "active"), SubscriptionEventKind.Activate, ct) is { } failed) return failed;
        }
        if (request.Quantity is { } q && q != s.Quantity)
        {
            var assigned = (await consumed.CountAsync(s.OrganizationId, [s], ct, throwOnFailure: true)).GetValueOrDefault(s.Id);
            var decision = SubscriptionRules.CanChangeQuantity(s.Status, await BatchesAsync(s, ct), clock.GetUtcNow(), q, assigned);
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
        if (request.EndOfTermAction is { } action && await SetEndOfTermAsync(s, tenantId, action, ct) is { } endOfTermFailed) return endOfTermFailed;
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

    /// <summary>R12: renew (auto-renew on), extend (auto-renew off: the extended service term follows) or cancel at term end.</summary>
    private async Task<Failure?> SetEndOfTermAsync(O365Subscription s, Guid tenantId, string action, CancellationToken ct)
    {
        if (action == EndOfTermActions.Of(s)) return null;
        if (Refused(SubscriptionRules.CanSetAutoRenew(s.Status, action == EndOfTermActions.Renew)) is { } refused) return refused;
        var autoRenewOn = new SubscriptionChange(AutoRenewEnabled: true);
        switch (action)
        {
            case EndOfTermActions.Renew:
                return await SendAsync(s, tenantId, autoRenewOn, SubscriptionEventKind.SetAutoRenew, ct);
            case EndOfTermActions.Extend:
                // Only turning auto-renew on undoes a cancellation at term end, in Partner Center as in rating.
                if (s.CancelAtTermEnd && await SendAsync(s, tenantId, autoRenewOn, SubscriptionEventKind.SetAutoRenew, ct) is { } failed) return failed;
                return await SendAsync(s, tenantId, new SubscriptionChange(AutoRenewEnabled: false), SubscriptionEventKind.SetAutoRenew, ct);
            default:
                return await StoreAsync(s, await partnerCenter.SetCancelAtTermEndAsync(tenantId, s.Id, true, ct), SubscriptionEventKind.CancelAtTermEnd, null, ct);
        }
    }

    /// <summary>Cancels now: within the 168-hour window of every seat, or at any time in the extended service term (R7, R12).</summary>
    private async Task<Outcome<SubscriptionDto>> CancelAsync(O365Subscription s, Guid tenantId, CancellationToken ct)
    {
        if (s.Status == SubscriptionStatus.Cancelled) return SubscriptionDto.Of(s, 0, Today);
        var assigned = (await consumed.CountAsync(s.OrganizationId, [s], ct, throwOnFailure: true)).GetValueOrDefault(s.Id);
        var decision = s.ExtendedSince is null || assigned > 0
            ? SubscriptionRules.CanCancel(s.Status, await BatchesAsync(s, ct), clock.GetUtcNow(), assigned)
            : RuleDecision.Allowed;
        if (!decision.IsAllowed)
        {
            await audit.RecordAsync(s.OrganizationId, "Cancel subscription", "refused", decision.Reason, ct);
            return ChangeSubscriptionRules.QuantityRefused(decision, 0, assigned);
        }
        if (await StoreAsync(s, await partnerCenter.CancelSubscriptionAsync(tenantId, s.Id, ct), SubscriptionEventKind.Cancel, null, ct) is { } failed) return failed;
        return SubscriptionDto.Of(s, 0, Today);
    }

    private async Task<IReadOnlyList<SeatBatch>> BatchesAsync(O365Subscription s, CancellationToken ct)
    {
        var events = await db.SubscriptionEvents.AsNoTracking().Where(e => e.SubscriptionId == s.Id)
            .Select(e => new { e.At, e.Kind, e.QuantityBefore, e.QuantityAfter }).ToListAsync(ct);
        return SubscriptionMath.Batches(events.Select(e => (e.At, e.Kind, e.QuantityBefore, e.QuantityAfter)), s.TermStart(Today));
    }

    private static Failure? Refused(RuleDecision decision) => decision.IsAllowed ? null : Failure.RuleRefused(decision.Reason!);

    /// <summary>Sends one change to Partner Center and stores what Partner Center answered, with its event.</summary>
    private async Task<Failure?> SendAsync(O365Subscription s, Guid tenantId, SubscriptionChange change, SubscriptionEventKind? kind, CancellationToken ct) =>
        await StoreAsync(s, await partnerCenter.UpdateSubscriptionAsync(tenantId, s.Id, change, ct), kind, change.FriendlyName, ct);

    /// <summary>Stores what Partner Center answered to one change, with its event; an immediate change deleted any schedule (R10).</summary>
    private async Task<Failure?> StoreAsync(O365Subscription s, PartnerCenterResult<Subscription> result, SubscriptionEventKind? kind, string? friendlyName, CancellationToken ct)
    {
        if (!result.IsSuccess)
        {
            await audit.RecordAsync(s.OrganizationId, "Change subscription", "refused by Partner Center", result.Error!.Description, ct);
            return ChangeSubscriptionRules.PartnerCenterRefused(result.Error!);
        }
        var before = s.Quantity;
        var pc = result.Value!;
        s.Quantity = pc.Quantity;
        s.Status = SubscriptionMath.StatusFromPartnerCenter(pc.Status);
        s.AutoRenew = pc.AutoRenewEnabled;
        SubscriptionReconciler.AdoptEndOfTerm(s, pc);
        s.FriendlyName = string.IsNullOrEmpty(pc.FriendlyName) ? s.FriendlyName : pc.FriendlyName;
        if (friendlyName is not null) s.FriendlyName = friendlyName.Length == 0 ? null : friendlyName;
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
