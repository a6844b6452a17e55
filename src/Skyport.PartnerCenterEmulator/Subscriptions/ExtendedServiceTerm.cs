using Skyport.PartnerCenterEmulator.Catalog;
using Skyport.PartnerCenterEmulator.Core;

namespace Skyport.PartnerCenterEmulator.Subscriptions;

/// <summary>
/// Microsoft's extended service term (EST): from 4 May 2026 a license-based subscription bought on or after 1 April 2025
/// whose term ends with auto-renew off continues month to month at the monthly-term price plus 3 %, unless it was set to
/// cancel at term end. Only cancellation is allowed during it, at any time.
/// </summary>
public static class ExtendedServiceTerm
{
    public static readonly DateOnly FirstTermEnd = new(2026, 5, 4);
    public static readonly DateTime BoughtFrom = new(2025, 4, 1, 0, 0, 0, DateTimeKind.Utc);
    public const decimal Uplift = 1.03m;
    public const string ChargeType = "extendedServiceTerm";

    public static bool Applies(Subscription s) =>
        s.Status == SubscriptionStatuses.Active && !s.AutoRenewEnabled && !s.CancelAtTermEnd
        && s.CommitmentEndDate >= FirstTermEnd && s.CreationDate >= BoughtFrom;

    /// <summary>The price per seat per month: the same offer's one-month term price, plus 3 %, rounded to cents.</summary>
    public static decimal UnitPrice(Subscription s)
    {
        var item = CatalogData.Sku(s.ProductId, s.SkuId)!;
        return Math.Round(CatalogData.MonthlyUnitPrice(item, "P1M", "monthly", s.Currency) * Uplift, 2, MidpointRounding.AwayFromZero);
    }

    /// <summary>Turns the ended term into month-to-month periods starting on <paramref name="day"/>.</summary>
    public static void Enter(Subscription s, DateOnly day, DateTime at)
    {
        s.ExtendedUnitPrice = UnitPrice(s);
        s.ExtendedSince = day;
        s.ScheduledNextTerm = null;
        s.TermDuration = "P1M";
        s.BillingCycle = "monthly";
        s.TermAnchor = day;
        s.TermIndex = -1;
        Lifecycle.Renew(s, day, at);
        s.SeatAdditions = [];
        s.CancellationAllowedUntil = at;
    }

    public static IResult OnlyCancellation() =>
        Errors.Pc(400, 800002, "Invalid request input", "Only cancellation is allowed during the extended service term.");

    public static object? Json(Subscription s) => s.ExtendedSince is { } since
        ? new { startDate = Pc.Date(since), unitPrice = s.ExtendedUnitPrice }
        : null;
}
