using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Audit;
using Skyport.Features.Billing.Rating;
using Skyport.Features.Catalog;
using Skyport.PartnerCenter;
using Skyport.Web;

namespace Skyport.Features.Subscriptions;

/// <summary>
/// "Change at renewal" and "Remove" (R10): schedules a new quantity, offer, term or billing frequency for the next term in
/// Partner Center (<c>scheduledNextTermInstructions</c>), or removes it, and stores Partner Center's answer with an event
/// billing rates at the renewal. Any immediate change deletes the schedule in Partner Center and in Skyport.
/// </summary>
public sealed class ScheduleRenewal(
    SkyportDbContext db,
    PartnerCenterClient partnerCenter,
    PriceListService prices,
    Caller caller,
    AuditLog audit,
    TimeProvider clock,
    ConsumedLicenses consumed,
    SubscriptionClaim claim)
{
    private DateOnly Today => Utc.DateOf(clock.GetUtcNow());

    public async Task<Outcome<SubscriptionDto>> ScheduleAsync(Guid customerId, Guid id, ScheduleRenewalRequest request, CancellationToken ct)
    {
        var checkedRequest = ScheduleRenewalRules.Check(request);
        if (!checkedRequest.Succeeded) return checkedRequest.Failure!;
        var schedule = checkedRequest.Value!;
        return await claim.RunAsync(customerId, id, async (s, tenantId) =>
        {
            var offerId = schedule.OfferId ?? s.OfferId;
            var offer = await db.CatalogOffers.AsNoTracking().SingleOrDefaultAsync(o => o.Id == offerId && !o.Hidden, ct);
            var renewsOn = s.RenewalDate(Today).AddDays(1);
            var nextTerm = new OfferTerm(
                (schedule.TermDuration ?? s.Term).WireName(),
                (schedule.BillingFrequency ?? s.Frequency).WireName());
            var priced = offer is not null
                && (await prices.LookupForAsync(customerId, ct)).InForceOn(CatalogQueries.Key(offer.Id, nextTerm), renewsOn) is not null;
            if (ScheduleRenewalRules.Refusal(s, schedule, offer, priced) is { } refused)
            {
                await audit.RecordAsync(customerId, "Change at renewal", "refused", refused.Detail, ct);
                return refused;
            }
            var instructions = new ScheduledNextTermInstructions(
                new ScheduledProduct(offer!.ProductId, offer.SkuId, offer.AvailabilityId, nextTerm.BillingFrequency, nextTerm.TermDuration),
                schedule.Quantity ?? s.Quantity);
            return await StoreAsync(s, await partnerCenter.ScheduleNextTermAsync(tenantId, s.Id, instructions, ct), schedule, ct);
        }, ct);
    }

    public Task<Outcome<SubscriptionDto>> RemoveAsync(Guid customerId, Guid id, CancellationToken ct) =>
        claim.RunAsync(customerId, id, async (s, tenantId) =>
        {
            if (s.ScheduledRenewal is null) return SubscriptionDto.Of(s, await consumed.OfAsync(s, ct), Today);
            return await StoreAsync(s, await partnerCenter.ClearNextTermAsync(tenantId, s.Id, ct), null, ct);
        }, ct);

    private async Task<Outcome<SubscriptionDto>> StoreAsync(O365Subscription s, PartnerCenterResult<Subscription> result, RenewalSchedule? schedule, CancellationToken ct)
    {
        var action = schedule is null ? "Remove change at renewal" : "Change at renewal";
        if (!result.IsSuccess)
        {
            await audit.RecordAsync(s.OrganizationId, action, "refused by Partner Center", result.Error!.Description, ct);
            return ChangeSubscriptionRules.PartnerCenterRefused(result.Error!);
        }
        s.ScheduledRenewal = result.Value!.ScheduledNextTermInstructions is null ? null : schedule;
        var kind = s.ScheduledRenewal is null ? SubscriptionEventKind.ClearSchedule : SubscriptionEventKind.ScheduleRenewal;
        var now = clock.GetUtcNow();
        db.SubscriptionEvents.Add(SubscriptionEventRecord.For(
            s, kind, now, s.Quantity, s.Quantity, null, ChangeSide.Skyport, SubscriptionActor.Of(caller), now, s.ScheduledRenewal));
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(s.OrganizationId, action, "succeeded", s.Name, ct);
        return SubscriptionDto.Of(s, await consumed.OfAsync(s, ct), Today);
    }
}
