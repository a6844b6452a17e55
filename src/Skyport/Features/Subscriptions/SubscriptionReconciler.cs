using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Billing.Preview;
using Skyport.Features.Billing.Rating;
using Skyport.Features.Catalog;
using Skyport.Features.Tenants;
using Skyport.PartnerCenter;
using Skyport.Web;

namespace Skyport.Features.Subscriptions;

/// <summary>
/// Brings Skyport in step with Partner Center for changes made there directly (quantity, status, auto-renew, renewals,
/// new subscriptions): on a <c>subscription-updated</c> webhook and on a schedule. Such changes are stored as events
/// whose side is Partner Center.
/// </summary>
public sealed class SubscriptionReconciler(SkyportDbContext db, PartnerCenterClient partnerCenter, PriceListService prices, SubscriptionSyncQueue queue, Microsoft.Extensions.Options.IOptions<CatalogOptions> catalogOptions, TimeProvider clock)
{
    public const string PartnerCenterActor = "Partner Center";

    /// <summary>Reconciles the subscriptions of the customer whose tenant is <paramref name="tenantId"/>; returns the number of events stored.</summary>
    public async Task<int> ReconcileTenantAsync(Guid tenantId, CancellationToken ct)
    {
        var service = await db.O365Services.AsNoTracking().SingleOrDefaultAsync(s => s.TenantId == tenantId && s.Status == O365Status.Active, ct);
        if (service is null)
        {
            return 0;
        }
        var remote = await partnerCenter.ListSubscriptionsAsync(tenantId, ct);
        if (!remote.IsSuccess)
        {
            return 0;
        }
        var local = await db.O365Subscriptions.Where(s => s.OrganizationId == service.OrganizationId).ToDictionaryAsync(s => s.Id, ct);
        var now = clock.GetUtcNow();
        var stored = 0;
        PriceLookup? lookup = null;
        var since = ThisInstance.AliveSince;
        var alive = await db.Instances.Where(i => i.HeartbeatAt >= since).Select(i => i.Id).ToListAsync(ct);
        foreach (var pc in remote.Value!)
        {
            if (local.TryGetValue(pc.Id, out var s))
            {
                if (s.ChangeStartedAt is not null)
                {
                    if (s.ChangeOwnerInstanceId is { } owner && alive.Contains(owner))
                    {
                        continue; // Skyport itself is changing it right now; it stores the answer.
                    }
                    // The instance that was changing it is gone: what Partner Center has is the truth.
                    s.ChangeStartedAt = null;
                    s.ChangeOwnerInstanceId = null;
                    s.Version++;
                }
                if (s.Status == SubscriptionStatus.Pending)
                {
                    // Its order completes: the purchase was made in Skyport, by the buyer the intent names.
                    var buyer = await db.PurchaseIntents.AsNoTracking().Where(p => p.SubscriptionId == s.Id).Select(p => p.Buyer).FirstOrDefaultAsync(ct);
                    stored += buyer is null
                        ? ApplyRemote(db, s, pc, now, ChangeSide.PartnerCenter, PartnerCenterActor)
                        : ApplyRemote(db, s, pc, now, ChangeSide.Skyport, buyer);
                    continue;
                }
                // The renewal first: it applies the schedule's quantity, which is then no change of Partner Center's.
                if (await RenewIfNeededAsync(s, pc, ct) is { } renewal)
                {
                    db.SubscriptionEvents.Add(renewal);
                    stored++;
                }
                stored += ApplyRemote(db, s, pc, now, ChangeSide.PartnerCenter, PartnerCenterActor);
                continue;
            }
            if (queue.IsPurchasing(tenantId))
            {
                continue; // a purchase of this instance stores it with its order details
            }
            lookup ??= await prices.LookupForAsync(service.OrganizationId, ct);
            var term = pc.TermDuration.ToUpperInvariant();
            var frequency = pc.BillingCycle.ToLowerInvariant() == "annual" ? "annual" : "monthly";
            var start = Utc.DateOf(pc.CreationDate);
            var quote = lookup.InForceOn(CatalogQueries.Key(pc.OfferId, new OfferTerm(term, frequency)), Utc.DateOf(pc.EffectiveStartDate));
            var created = new O365Subscription
            {
                Id = pc.Id,
                OrganizationId = service.OrganizationId,
                OfferId = pc.OfferId,
                Name = pc.OfferName,
                FriendlyName = string.IsNullOrEmpty(pc.FriendlyName) || pc.FriendlyName == pc.OfferName ? null : pc.FriendlyName,
                Quantity = pc.Quantity,
                Status = SubscriptionMath.StatusFromPartnerCenter(pc.Status),
                AutoRenew = pc.AutoRenewEnabled,
                TermDuration = term,
                BillingFrequency = frequency,
                StartDate = start,
                CustomTermEndDate = Utc.DateOf(pc.EffectiveStartDate) == start ? TermEndAlignmentRules.CustomFirstTermEnd(start, term, Utc.DateOf(pc.CommitmentEndDate)) : null,
                UnitPrice = quote?.UnitPrice ?? 0m,
                PriceSource = quote is null ? "none" : quote.Source.WireName(),
                Currency = catalogOptions.Value.Currency,
                ParentSubscriptionId = pc.ParentSubscriptionId,
                CreatedAt = pc.CreationDate,
            };
            db.O365Subscriptions.Add(created);
            if (created.Status != SubscriptionStatus.Pending)
            {
                db.SubscriptionEvents.Add(SubscriptionEventRecord.For(created, SubscriptionEventKind.Purchase, pc.CreationDate, 0, pc.Quantity, null, ChangeSide.PartnerCenter, PartnerCenterActor, now));
                stored++;
            }
        }
        await db.SaveChangesAsync(ct);
        return stored;
    }

    /// <summary>Reconciles every customer with an active service; one failing customer does not stop the others.</summary>
    public async Task<int> ReconcileAllAsync(ILogger logger, CancellationToken ct)
    {
        var tenants = await db.O365Services.AsNoTracking().Where(s => s.Status == O365Status.Active && s.TenantId != null).Select(s => s.TenantId!.Value).ToListAsync(ct);
        var stored = 0;
        foreach (var tenant in tenants)
        {
            try
            {
                stored += await ReconcileTenantAsync(tenant, ct);
            }
            catch (Exception exception) when (Skyport.PartnerCenter.PartnerCenterFailures.IsUnanswered(exception) || exception is DbUpdateException)
            {
                logger.LogWarning(exception, "Reconciling the subscriptions of tenant {Tenant} failed; the next run tries again", tenant);
                db.ChangeTracker.Clear();
            }
        }
        return stored;
    }

    /// <summary>
    /// Copies Partner Center's quantity, status and auto-renew onto the subscription, with one event per difference, recorded at
    /// <paramref name="at"/>. The events are a millisecond apart (SQLite keeps a tenth of one), in the order written (activate first, suspend last), because
    /// rating applies events in time order and a database returns events of the same instant in no particular order.
    /// </summary>
    public static int ApplyRemote(SkyportDbContext db, O365Subscription s, Subscription pc, DateTimeOffset at, ChangeSide side, string actor)
    {
        var events = 0;
        var remoteStatus = SubscriptionMath.StatusFromPartnerCenter(pc.Status);
        if (s.Status == SubscriptionStatus.Pending)
        {
            return remoteStatus == SubscriptionStatus.Pending ? 0 : Complete(db, s, pc, remoteStatus, at, side, actor);
        }
        if (remoteStatus == SubscriptionStatus.Active && s.Status == SubscriptionStatus.Suspended)
        {
            db.SubscriptionEvents.Add(SubscriptionEventRecord.For(s, SubscriptionEventKind.Activate, Nth(at, events), s.Quantity, s.Quantity, null, side, actor, at));
            s.Status = remoteStatus;
            events++;
        }
        if (pc.Quantity != s.Quantity)
        {
            db.SubscriptionEvents.Add(SubscriptionEventRecord.For(s, SubscriptionEventKind.ChangeQuantity, Nth(at, events), s.Quantity, pc.Quantity, null, side, actor, at));
            s.Quantity = pc.Quantity;
            events++;
        }
        if (remoteStatus != s.Status)
        {
            var kind = remoteStatus switch
            {
                SubscriptionStatus.Suspended => SubscriptionEventKind.Suspend,
                SubscriptionStatus.Cancelled => SubscriptionEventKind.Cancel,
                SubscriptionStatus.Active => SubscriptionEventKind.Activate,
                _ => (SubscriptionEventKind?)null,
            };
            if (kind is { } k)
            {
                db.SubscriptionEvents.Add(SubscriptionEventRecord.For(s, k, Nth(at, events), s.Quantity, s.Quantity, null, side, actor, at));
                events++;
            }
            s.Status = remoteStatus;
            if (remoteStatus == SubscriptionStatus.Suspended)
            {
                s.AutoRenew = false; // suspension turns auto-renew off (R8), on both sides
            }
        }
        if (pc.AutoRenewEnabled != s.AutoRenew && s.Status is SubscriptionStatus.Active or SubscriptionStatus.Suspended)
        {
            db.SubscriptionEvents.Add(SubscriptionEventRecord.For(s, SubscriptionEventKind.SetAutoRenew, Nth(at, events), s.Quantity, s.Quantity, pc.AutoRenewEnabled, side, actor, at));
            s.AutoRenew = pc.AutoRenewEnabled;
            events++;
        }
        if (pc.CancelAtTermEnd && !s.CancelAtTermEnd && s.Status == SubscriptionStatus.Active && s.ExtendedSince is null)
        {
            db.SubscriptionEvents.Add(SubscriptionEventRecord.For(s, SubscriptionEventKind.CancelAtTermEnd, Nth(at, events), s.Quantity, s.Quantity, null, side, actor, at));
            events++;
        }
        if (pc.ScheduledNextTermInstructions is null && s.ScheduledRenewal is not null && s.Status == SubscriptionStatus.Active && s.ExtendedSince is null)
        {
            db.SubscriptionEvents.Add(SubscriptionEventRecord.For(s, SubscriptionEventKind.ClearSchedule, Nth(at, events), s.Quantity, s.Quantity, null, side, actor, at));
            events++;
        }
        AdoptEndOfTerm(s, pc);
        if (events > 0)
        {
            s.Version++;
        }
        return events;
    }

    /// <summary>
    /// Copies Partner Center's end of term: whether it cancels at term end, and whether a schedule is still there (any
    /// immediate change deletes it, R10). A schedule Partner Center has is kept as Skyport asked it.
    /// </summary>
    public static void AdoptEndOfTerm(O365Subscription s, Subscription pc)
    {
        s.CancelAtTermEnd = pc.CancelAtTermEnd;
        if (pc.ScheduledNextTermInstructions is null)
        {
            s.ScheduledRenewal = null;
        }
    }

    /// <summary>
    /// Partner Center completed the order of a pending subscription: its purchase event is dated now, when Skyport sees it
    /// active, never earlier, so that billing does not rate the time Partner Center was still processing it.
    /// </summary>
    private static int Complete(SkyportDbContext db, O365Subscription s, Subscription pc, SubscriptionStatus remoteStatus, DateTimeOffset at, ChangeSide side, string actor)
    {
        s.Quantity = pc.Quantity;
        s.AutoRenew = pc.AutoRenewEnabled;
        s.Status = remoteStatus;
        s.Version++;
        if (remoteStatus is not (SubscriptionStatus.Active or SubscriptionStatus.Suspended))
        {
            return 0; // the order was cancelled: nothing was bought
        }
        db.SubscriptionEvents.Add(SubscriptionEventRecord.For(s, SubscriptionEventKind.Purchase, at, 0, pc.Quantity, pc.AutoRenewEnabled, side, actor, at));
        return 1;
    }

    private static DateTimeOffset Nth(DateTimeOffset at, int written) => at + TimeSpan.FromMilliseconds(written);

    /// <summary>A term Partner Center renewed: a new price is locked at the renewal date (R5, R8) and every seat gets a new window.</summary>
    private async Task<SubscriptionEventRecord?> RenewIfNeededAsync(O365Subscription s, Subscription pc, CancellationToken ct)
    {
        if (pc.ExtendedServiceTerm is { } extended)
        {
            await ExtendAsync(s, extended, ct);
            return null;
        }
        var termStart = Utc.DateOf(pc.EffectiveStartDate);
        if (termStart <= s.StartDate || s.Status is not (SubscriptionStatus.Active or SubscriptionStatus.Suspended))
        {
            return null;
        }
        var renewalAt = Utc.StartOf(termStart);
        if (await db.SubscriptionEvents.AnyAsync(e => e.SubscriptionId == s.Id && e.Kind == SubscriptionEventKind.Renew && e.At == renewalAt, ct))
        {
            return null;
        }
        var quantityBefore = s.Quantity;
        RenewAsScheduled(s, pc, termStart);
        var lookup = await prices.LookupForAsync(s.OrganizationId, ct);
        if (lookup.InForceOn(CatalogQueries.Key(s.OfferId, new OfferTerm(s.TermDuration, s.BillingFrequency)), termStart) is { } quote)
        {
            s.UnitPrice = quote.UnitPrice;
            s.PriceSource = quote.Source.WireName();
        }
        return SubscriptionEventRecord.For(s, SubscriptionEventKind.Renew, renewalAt, quantityBefore, s.Quantity, null, ChangeSide.PartnerCenter, PartnerCenterActor, clock.GetUtcNow());
    }

    /// <summary>
    /// R10: the renewal applied the schedule: the new term takes the offer, term and billing frequency Partner Center shows
    /// (the purchased ones are kept for billing's replay) and the scheduled quantity, which rating applies from the
    /// schedule's own event, so no quantity change is recorded for it.
    /// </summary>
    private static void RenewAsScheduled(O365Subscription s, Subscription pc, DateOnly termStart)
    {
        var term = pc.TermDuration.ToUpperInvariant();
        var frequency = pc.BillingCycle.Equals("annual", StringComparison.OrdinalIgnoreCase) ? "annual" : "monthly";
        if (!pc.OfferId.Equals(s.OfferId, StringComparison.OrdinalIgnoreCase) || term != s.TermDuration || frequency != s.BillingFrequency)
        {
            s.PurchasedAs ??= new PurchasedPlan(s.OfferId, s.TermDuration, s.BillingFrequency);
            if (term != s.TermDuration)
            {
                s.StartDate = termStart; // a new term duration re-anchors the terms on the renewal
            }
            (s.OfferId, s.Name, s.TermDuration, s.BillingFrequency) = (pc.OfferId, pc.OfferName, term, frequency);
        }
        if (s.ScheduledRenewal?.Quantity == pc.Quantity)
        {
            s.Quantity = pc.Quantity;
        }
        s.ScheduledRenewal = null;
    }

    /// <summary>
    /// R12: Partner Center moved the subscription into its extended service term. Rating bills the months itself (auto-renew
    /// was off and it was not cancelled at term end); Skyport keeps the day it began and the unit price it charges, the
    /// offer's one-month price in force then plus 3 %.
    /// </summary>
    private async Task ExtendAsync(O365Subscription s, PartnerCenter.ExtendedServiceTerm extended, CancellationToken ct)
    {
        if (s.ExtendedSince is not null)
        {
            return;
        }
        var since = Utc.DateOf(extended.StartDate);
        var lookup = await prices.LookupForAsync(s.OrganizationId, ct);
        var quote = Billing.Rating.ExtendedServiceTerm.UnitPrice(lookup, s.OfferId, since, s.UnitPrice, s.Source, s.Frequency);
        s.ExtendedSince = since;
        s.ExtendedUnitPrice = quote.UnitPrice;
        s.ScheduledRenewal = null;
        s.Version++;
    }

}
