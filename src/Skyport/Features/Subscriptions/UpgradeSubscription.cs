using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Audit;
using Skyport.Features.Billing.Rating;
using Skyport.PartnerCenter;
using Skyport.Web;

namespace Skyport.Features.Subscriptions;

/// <summary>
/// Upgrades some or all seats of a subscription to another offer (R11) with Partner Center's transition, optionally moving
/// the users' assigned licenses, and stores both sides with the events billing rates: a refund on the source and a
/// pro-rata charge on the target for the same days. The upgrade is recorded first as an <see cref="UpgradeIntent"/>
/// (ADR 5): a retry under the same Idempotency-Key looks the transition up, then continues it, and never upgrades twice.
/// </summary>
public sealed class UpgradeSubscription(
    SkyportDbContext db,
    PartnerCenterClient partnerCenter,
    UpgradeTargets targets,
    Caller caller,
    AuditLog audit,
    TimeProvider clock,
    ThisInstance instance,
    SubscriptionSyncQueue sync,
    ConsumedLicenses consumed,
    ILogger<UpgradeSubscription> logger)
{
    private const string AuditAction = "Upgrade subscription";

    private DateOnly Today => Utc.DateOf(clock.GetUtcNow());

    /// <param name="operationKey">Names the upgrade across its retries (see <see cref="RequestIdempotency.OperationKey"/>).</param>
    public async Task<Outcome<SubscriptionDto>> UpgradeAsync(Guid customerId, Guid id, UpgradeSubscriptionRequest asked, string? operationKey, CancellationToken ct)
    {
        var checkedRequest = UpgradeSubscriptionRules.Check(asked);
        if (!checkedRequest.Succeeded) return checkedRequest.Failure!;
        var request = checkedRequest.Value!;
        var (toOfferId, seats, transfer) = (request.ToOfferId!, request.Quantity!.Value, request.TransferLicenses!.Value);

        var source = await db.O365Subscriptions.SingleOrDefaultAsync(s => s.Id == id && s.OrganizationId == customerId, ct);
        if (source is null) return Failure.NotFound("The subscription");
        if (await ActiveTenant.OfAsync(db, customerId, ct) is not { } tenantId)
            return Failure.RuleRefused("This customer has no active O365 CSP Direct service.");

        var intent = operationKey is null ? null : await db.UpgradeIntents.SingleOrDefaultAsync(u => u.OperationKey == operationKey, ct);
        if (intent is not null)
        {
            if (intent.SourceSubscriptionId != id || !intent.ToOfferId.Equals(toOfferId, StringComparison.OrdinalIgnoreCase)
                || intent.Quantity != seats || intent.TransferLicenses != transfer)
            {
                return Failure.RuleRefused("This Idempotency-Key was already used for a different upgrade. Use a new key for a new upgrade.");
            }
            if (intent.Stage is UpgradeStage.Completed or UpgradeStage.Refused) return await AnswerAsync(intent, ct);
            if (await LockAsync(source, intent) is { } busy) return busy;
            return await ContinueAsync(intent, source, retry: true, ct);
        }

        if (UpgradeSubscriptionRules.CheckSource(source, extended: false, seats, toOfferId) is { } refused) return refused;
        var found = await targets.FindAsync(source, tenantId, seats, transfer, ct);
        if (!found.Succeeded) return found.Failure!;
        if (found.Value.SourceRefusal is { } why) return Failure.RuleRefused($"Partner Center does not allow upgrading {source.Name} now: {why}");
        if (UpgradeSubscriptionRules.CheckTarget(toOfferId, found.Value.Offers, source.Name) is { } notEligible) return notEligible;
        var target = found.Value.Offers.First(o => o.OfferId.Equals(toOfferId, StringComparison.OrdinalIgnoreCase));

        var now = clock.GetUtcNow();
        intent = new UpgradeIntent
        {
            OperationKey = operationKey,
            OrganizationId = customerId,
            TenantId = tenantId,
            SourceSubscriptionId = source.Id,
            ToOfferId = target.OfferId,
            Quantity = seats,
            TransferLicenses = transfer,
            SourceQuantityBefore = source.Quantity,
            UnitPrice = target.UnitPrice,
            PriceSource = target.PriceSource,
            Currency = target.Currency,
            Actor = SubscriptionActor.Of(caller),
            OwnerInstanceId = instance.Id,
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (await LockAsync(source, intent) is { } locked) return locked;
        return await ContinueAsync(intent, source, retry: false, ct);
    }

    private static Failure Busy() =>
        Failure.Conflict("Another change of this subscription is in progress. Reload it and try again.");

    /// <summary>
    /// Marks the source as being changed by this instance (as <see cref="ChangeSubscription"/> does), saving a new intent
    /// in the same step, so that no other change and no reconcile touches it meanwhile; a dead instance's mark is taken over.
    /// </summary>
    private async Task<Failure?> LockAsync(O365Subscription source, UpgradeIntent intent)
    {
        if (source.ChangeStartedAt is not null && source.ChangeOwnerInstanceId is { } owner && owner != instance.Id
            && await InstanceLiveness.IsAliveAsync(db, owner, CancellationToken.None))
        {
            return Busy();
        }
        if (db.Entry(intent).State == EntityState.Detached) db.UpgradeIntents.Add(intent);
        else intent.Version++;
        intent.OwnerInstanceId = instance.Id;
        source.ChangeStartedAt = clock.GetUtcNow();
        source.ChangeOwnerInstanceId = instance.Id;
        source.Version++;
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return Busy();
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return Failure.Conflict("An upgrade with this Idempotency-Key is in progress. Try again shortly.");
        }
    }

    /// <summary>
    /// Carries the upgrade on from where it stopped. A retry first looks for the transition an earlier attempt made; the
    /// transition is sent with the intent's own MS-RequestId, so Partner Center answers a repeat with the first transition.
    /// </summary>
    private async Task<Outcome<SubscriptionDto>> ContinueAsync(UpgradeIntent intent, O365Subscription source, bool retry, CancellationToken ct)
    {
        using var upgrading = sync.PurchaseInFlight(intent.TenantId); // the reconcile leaves the new target to this upgrade
        try
        {
            if (intent.Stage == UpgradeStage.Started)
            {
                var transition = retry ? await EarlierAsync(intent, ct) : null;
                if (transition is null)
                {
                    var type = intent.TransferLicenses ? TransitionTypes.WithLicenseTransfer : TransitionTypes.TransitionOnly;
                    var answer = await partnerCenter.TransitionAsync(intent.TenantId, intent.SourceSubscriptionId,
                        new TransitionRequest(intent.ToOfferId, intent.Quantity, type), ct, intent.RequestId);
                    if (!answer.IsSuccess) return await RefusedAsync(intent, source, answer.Error!);
                    transition = answer.Value!;
                }
                intent.TargetSubscriptionId = transition.ToSubscriptionId;
                await AdvanceAsync(intent, UpgradeStage.Transitioned);
            }
            return await StoreAsync(intent, source, ct);
        }
        catch (Exception exception) when (PartnerCenterFailures.IsUnanswered(exception) && !ct.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Partner Center did not answer an upgrade of subscription {Id}", intent.SourceSubscriptionId);
            await audit.RecordAsync(intent.OrganizationId, AuditAction, "failed", $"{source.Name}: Partner Center did not answer", CancellationToken.None);
            return Failure.UpstreamFailed(intent.OperationKey is null
                ? "Partner Center did not answer, so the upgrade may have been made. Check the subscriptions before upgrading again."
                : "Partner Center did not answer. Retry with the same Idempotency-Key: the upgrade continues where it stopped and is never made twice.");
        }
        finally
        {
            if (source.ChangeOwnerInstanceId == instance.Id)
            {
                source.ChangeStartedAt = null;
                source.ChangeOwnerInstanceId = null;
                source.Version++;
                await db.SaveChangesAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>The transition an earlier attempt of this intent made, from the source's history in Partner Center.</summary>
    private async Task<Transition?> EarlierAsync(UpgradeIntent intent, CancellationToken ct)
    {
        var history = await partnerCenter.ListTransitionsAsync(intent.TenantId, intent.SourceSubscriptionId, ct);
        if (!history.IsSuccess) return null;
        var claimed = await db.UpgradeIntents.AsNoTracking()
            .Where(u => u.SourceSubscriptionId == intent.SourceSubscriptionId && u.Id != intent.Id && u.TargetSubscriptionId != null)
            .Select(u => u.TargetSubscriptionId!.Value).ToListAsync(ct);
        var merged = await db.SubscriptionEvents.AsNoTracking()
            .Where(e => e.SubscriptionId == intent.SourceSubscriptionId && e.Kind == SubscriptionEventKind.Upgrade && e.At < intent.CreatedAt && e.RelatedSubscriptionId != null)
            .Select(e => e.RelatedSubscriptionId!.Value).ToListAsync(ct);
        return UpgradeSubscriptionRules.Earlier(history.Value!, intent.SourceSubscriptionId, intent.ToOfferId, intent.Quantity, [.. claimed, .. merged]);
    }

    private async Task AdvanceAsync(UpgradeIntent intent, UpgradeStage stage)
    {
        intent.Stage = stage;
        intent.UpdatedAt = clock.GetUtcNow();
        intent.Version++;
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private async Task<Outcome<SubscriptionDto>> RefusedAsync(UpgradeIntent intent, O365Subscription source, PartnerCenterError error)
    {
        intent.Refusal = error.Description.Length > 2000 ? error.Description[..2000] : error.Description;
        intent.OwnerInstanceId = null;
        await AdvanceAsync(intent, UpgradeStage.Refused);
        await audit.RecordAsync(intent.OrganizationId, AuditAction, "refused by Partner Center", $"{source.Name}: {error.Description}", CancellationToken.None);
        return UpgradeSubscriptionRules.Refused(error);
    }

    /// <summary>A finished intent answers as it ended: the target subscription, or Partner Center's refusal.</summary>
    private async Task<Outcome<SubscriptionDto>> AnswerAsync(UpgradeIntent intent, CancellationToken ct)
    {
        if (intent.Stage == UpgradeStage.Refused) return Failure.RuleRefused($"Partner Center refused the upgrade: {intent.Refusal}");
        var target = await db.O365Subscriptions.AsNoTracking().SingleAsync(s => s.Id == intent.TargetSubscriptionId, ct);
        return SubscriptionDto.Of(target, await consumed.OfAsync(target, ct), Today);
    }

    /// <summary>
    /// Stores what the transition did: the source's seats reduced (ended when all moved), the target new or merged, and one
    /// event on each, in one save with the intent's completion. Events a reconcile wrote for the same change while this
    /// instance was gone (as made in Partner Center) give way to the upgrade's, so billing rates it once, as an upgrade.
    /// </summary>
    private async Task<Outcome<SubscriptionDto>> StoreAsync(UpgradeIntent intent, O365Subscription source, CancellationToken ct)
    {
        var targetId = intent.TargetSubscriptionId!.Value;
        var now = clock.GetUtcNow();
        Subscription? remote = null;
        try
        {
            var read = await partnerCenter.GetSubscriptionAsync(intent.TenantId, targetId, ct);
            if (read.IsSuccess) remote = read.Value;
        }
        catch (Exception exception) when (PartnerCenterFailures.IsUnanswered(exception))
        {
            logger.LogInformation(exception, "Reading the upgrade's target {Id} back failed; it is stored from the upgrade", targetId);
        }
        var adopted = await db.SubscriptionEvents
            .Where(e => (e.SubscriptionId == targetId || e.SubscriptionId == source.Id) && e.Side == ChangeSide.PartnerCenter && e.RecordedAt >= intent.CreatedAt
                && (e.Kind == SubscriptionEventKind.Purchase || e.Kind == SubscriptionEventKind.ChangeQuantity || e.Kind == SubscriptionEventKind.Cancel))
            .OrderBy(e => e.At).ToListAsync(ct);
        db.SubscriptionEvents.RemoveRange(adopted);

        var target = await db.O365Subscriptions.SingleOrDefaultAsync(s => s.Id == targetId, ct);
        var targetBefore = adopted.FirstOrDefault(e => e.SubscriptionId == targetId)?.QuantityBefore ?? target?.Quantity ?? 0;
        var targetAfter = remote?.Quantity ?? targetBefore + intent.Quantity;
        if (target is null)
        {
            var name = remote?.OfferName
                ?? await db.CatalogOffers.AsNoTracking().Where(o => o.Id == intent.ToOfferId).Select(o => o.Name).SingleOrDefaultAsync(ct)
                ?? intent.ToOfferId;
            target = new O365Subscription
            {
                Id = targetId,
                OrganizationId = intent.OrganizationId,
                OfferId = intent.ToOfferId,
                Name = name,
                Quantity = targetAfter,
                Status = remote is null ? SubscriptionStatus.Active : SubscriptionMath.StatusFromPartnerCenter(remote.Status),
                AutoRenew = remote?.AutoRenewEnabled ?? source.AutoRenew,
                // Co-termed with the source (R11): its terms are the source's.
                TermDuration = source.TermDuration,
                BillingFrequency = source.BillingFrequency,
                StartDate = source.StartDate,
                CustomTermEndDate = source.CustomTermEndDate,
                UnitPrice = intent.UnitPrice,
                PriceSource = intent.PriceSource,
                Currency = intent.Currency,
                CreatedAt = now,
            };
            db.O365Subscriptions.Add(target);
        }
        else
        {
            target.Quantity = targetAfter;
            if (targetBefore == 0)
            {
                target.UnitPrice = intent.UnitPrice;
                target.PriceSource = intent.PriceSource;
            }
            target.Version++;
        }

        var sourceAfter = intent.SourceQuantityBefore - intent.Quantity;
        source.Quantity = sourceAfter;
        if (sourceAfter == 0)
        {
            source.Status = SubscriptionStatus.Cancelled;
            source.AutoRenew = false;
        }
        db.SubscriptionEvents.Add(SubscriptionEventRecord.For(source, SubscriptionEventKind.Upgrade, now, intent.SourceQuantityBefore, sourceAfter, null,
            ChangeSide.Skyport, intent.Actor, now, related: targetId));
        db.SubscriptionEvents.Add(SubscriptionEventRecord.For(target, SubscriptionEventKind.UpgradeInto, now, targetBefore, targetAfter, null,
            ChangeSide.Skyport, intent.Actor, now, related: source.Id));
        intent.Stage = UpgradeStage.Completed;
        intent.UpdatedAt = now;
        intent.OwnerInstanceId = null;
        intent.Version++;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // A reconcile stored the target between the read and the save: the next retry finds it and completes.
            db.ChangeTracker.Clear();
            return Failure.Conflict("The upgrade's target was just stored by another process. Retry to see it.");
        }
        if (intent.TransferLicenses) await FollowLicensesAsync(intent, source, ct);
        await audit.RecordAsync(intent.OrganizationId, AuditAction, "succeeded",
            $"{intent.Quantity} × {source.Name} → {target.Name} ({targetId}){(intent.TransferLicenses ? ", licenses moved" : "")}", ct);
        return SubscriptionDto.Of(target, await consumed.OfAsync(target, ct), Today);
    }

    /// <summary>
    /// Partner Center moved licenses from the source's product to the target's: the users who held the source's are read
    /// back, so that the answer and the pages are right before the user sync brings the same.
    /// </summary>
    private async Task FollowLicensesAsync(UpgradeIntent intent, O365Subscription source, CancellationToken ct)
    {
        var sourceSku = await db.CatalogOffers.AsNoTracking().Where(o => o.Id == source.OfferId).Select(o => o.LicenseSkuId).SingleOrDefaultAsync(ct);
        if (sourceSku is not { } sku) return;
        var holders = (await db.TenantUsers.Where(u => u.OrganizationId == intent.OrganizationId).ToListAsync(ct))
            .Where(u => u.AssignedSkuIds.Contains(sku)).ToList();
        try
        {
            foreach (var user in holders)
            {
                var licenses = await partnerCenter.GetUserLicensesAsync(intent.TenantId, user.Id, ct);
                if (licenses.IsSuccess) user.AssignedSkuIds = [.. licenses.Value!.Select(l => l.ProductSku.Id).Distinct().Order()];
            }
            await db.SaveChangesAsync(ct);
        }
        catch (Exception exception) when (PartnerCenterFailures.IsUnanswered(exception) || exception is DbUpdateConcurrencyException)
        {
            logger.LogInformation(exception, "Users' licenses after the upgrade of {Id} are left to the user sync", source.Id);
            db.ChangeTracker.Clear();
        }
    }
}
