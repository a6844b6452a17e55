using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Billing.Rating;
using Skyport.PartnerCenter;
using Skyport.Web;

namespace Skyport.Features.Subscriptions;

/// <summary>
/// "Align the term end with": the dates a new subscription of a term may end its first term on (R13), as Partner Center
/// offers them today, and the check of a date asked for. Buying and the Add subscription page both ask here.
/// </summary>
public sealed class TermEndAlignment(SkyportDbContext db, PartnerCenterClient partnerCenter, TimeProvider clock)
{
    /// <summary>The choices for a new subscription of <paramref name="termDuration"/> (P1M or P1Y) of the customer.</summary>
    public async Task<Outcome<IReadOnlyList<TermEndChoice>>> ChoicesAsync(Guid customerId, string? termDuration, CancellationToken ct)
    {
        var term = termDuration?.Trim().ToUpperInvariant();
        if (term is not ("P1M" or "P1Y"))
        {
            return Failure.Invalid("termDuration", "The term duration is P1M or P1Y.");
        }
        if (await ActiveTenant.OfAsync(db, customerId, ct) is not { } tenantId)
        {
            return Failure.RuleRefused("This customer has no active O365 CSP Direct service.");
        }
        return await ChoicesAsync(customerId, tenantId, term, ct);
    }

    /// <summary>The choices for a new subscription of <paramref name="termDuration"/> in the customer's tenant.</summary>
    public async Task<Outcome<IReadOnlyList<TermEndChoice>>> ChoicesAsync(Guid customerId, Guid tenantId, string termDuration, CancellationToken ct)
    {
        PartnerCenterResult<IReadOnlyList<CustomTermEndDateOption>> offered;
        try
        {
            offered = await partnerCenter.GetCustomTermEndDatesAsync(tenantId, termDuration, ct: ct);
        }
        catch (Exception exception) when (PartnerCenterFailures.IsUnanswered(exception) && !ct.IsCancellationRequested)
        {
            return Failure.UpstreamFailed("Partner Center did not answer, so the term end dates it offers are unknown. Nothing was bought; try again.");
        }
        if (!offered.IsSuccess)
        {
            return Failure.UpstreamFailed($"Partner Center did not give the term end dates: {offered.Error!.Description}");
        }
        var names = await db.O365Subscriptions.AsNoTracking().Where(s => s.OrganizationId == customerId)
            .Select(s => new { s.Id, s.Name, s.FriendlyName }).ToDictionaryAsync(s => s.Id, s => s.FriendlyName ?? s.Name, ct);
        return TermEndAlignmentRules.Choices(offered.Value!, names).ToList();
    }

    /// <summary>Null when a purchase of <paramref name="termDuration"/> today may end its first term on <paramref name="customEnd"/>; else why not.</summary>
    public async Task<Failure?> CheckAsync(Guid customerId, Guid tenantId, string termDuration, DateOnly customEnd, CancellationToken ct)
    {
        var choices = await ChoicesAsync(customerId, tenantId, termDuration, ct);
        if (!choices.Succeeded) return choices.Failure;
        var today = Utc.DateOf(clock.GetUtcNow());
        var active = await db.O365Subscriptions.AsNoTracking()
            .Where(s => s.OrganizationId == customerId && s.Status == SubscriptionStatus.Active).ToListAsync(ct);
        return TermEndAlignmentRules.Check(customEnd, today, Enum.Parse<TermDuration>(termDuration), active.Select(s => s.RenewalDate(today)), choices.Value!);
    }
}
