using Skyport.PartnerCenterEmulator.Catalog;
using Skyport.PartnerCenterEmulator.Core;
using Skyport.PartnerCenterEmulator.Subscriptions;

namespace Skyport.PartnerCenterEmulator.Billing;

/// <summary>The billed amounts that purchases, seat changes, cycles, renewals and cancellations produce.</summary>
public static class Charges
{
    public static decimal PeriodPrice(Subscription s)
    {
        if (s.ExtendedSince is not null && s.ExtendedUnitPrice is { } extended) return extended;
        var item = CatalogData.Sku(s.ProductId, s.SkuId)!;
        return CatalogData.MonthlyUnitPrice(item, s.TermDuration, s.BillingCycle, s.Currency) * Terms.BillingMonths(s.BillingCycle, s.TermDuration);
    }

    /// <summary>The billing period of the current term that contains <paramref name="day"/>.</summary>
    public static (DateOnly Start, DateOnly End) PeriodContaining(Subscription s, DateOnly day)
    {
        var k = 0;
        while (Terms.BillingPeriodStart(s.TermStartDate, s.BillingCycle, s.TermDuration, k + 1) <= day) k++;
        var start = Terms.BillingPeriodStart(s.TermStartDate, s.BillingCycle, s.TermDuration, k);
        var end = Terms.BillingPeriodStart(s.TermStartDate, s.BillingCycle, s.TermDuration, k + 1).AddDays(-1);
        return (start, end > s.CommitmentEndDate ? s.CommitmentEndDate : end);
    }

    /// <summary>A whole billing period at full price: a purchase, a renewal or a cycle charge.</summary>
    public static ChargeLine FullPeriod(Subscription s, string chargeType, DateOnly periodStart, DateTime at)
    {
        var (start, end) = PeriodContaining(s, periodStart);
        var price = PeriodPrice(s);
        var natural = start.AddMonths(Terms.BillingMonths(s.BillingCycle, s.TermDuration)).AddDays(-1);
        if (s.TermIndex < 0 && s.ExtendedSince is null && end < natural)
        {
            // A co-termed (custom end date) term's short period: its days over the natural period's days (R13).
            var share = (end.DayNumber - start.DayNumber + 1m) / (natural.DayNumber - start.DayNumber + 1m);
            return Line(s, chargeType, price, Math.Round(price * share, 2, MidpointRounding.AwayFromZero), s.Quantity, start, end, at);
        }
        return Line(s, chargeType, price, price, s.Quantity, start, end, at);
    }

    /// <summary>A seat change: the old quantity refunded and the new one billed for the rest of the period.</summary>
    public static IEnumerable<ChargeLine> QuantityChange(Subscription s, int oldQuantity, int newQuantity, DateTime at, string? chargeType = null)
    {
        var today = DateOnly.FromDateTime(at);
        var (start, end) = PeriodContaining(s, today);
        var price = PeriodPrice(s);
        var unit = Proration.UnitAmount(price, start, end, today);
        var type = chargeType ?? (newQuantity > oldQuantity ? "addQuantity" : "removeQuantity");
        yield return Line(s, type, price, -unit, oldQuantity, today, end, at);
        yield return Line(s, type, price, unit, newQuantity, today, end, at);
    }

    /// <summary>A cancellation: the unused rest of the period refunded.</summary>
    public static ChargeLine Cancellation(Subscription s, DateTime at)
    {
        var today = DateOnly.FromDateTime(at);
        var (start, end) = PeriodContaining(s, today);
        var price = PeriodPrice(s);
        var unit = Proration.UnitAmount(price, start, end, today.AddDays(1));
        return Line(s, "cancelImmediate", price, -unit, s.Quantity, today, end, at);
    }

    private static ChargeLine Line(Subscription s, string type, decimal unitPrice, decimal effectiveUnitPrice, int quantity, DateOnly from, DateOnly to, DateTime at)
    {
        var item = CatalogData.Sku(s.ProductId, s.SkuId)!;
        return new ChargeLine
        {
            TenantId = s.TenantId,
            SubscriptionId = s.Id,
            OrderId = s.OrderId,
            ProductId = s.ProductId,
            SkuId = s.SkuId,
            AvailabilityId = s.AvailabilityId,
            ProductName = item.Title,
            ChargeType = type,
            UnitPrice = unitPrice,
            EffectiveUnitPrice = effectiveUnitPrice,
            Quantity = quantity,
            Subtotal = effectiveUnitPrice * quantity,
            Currency = s.Currency,
            ChargeStartDate = from,
            ChargeEndDate = to,
            SubscriptionStartDate = s.TermStartDate,
            SubscriptionEndDate = s.CommitmentEndDate,
            TermDuration = s.TermDuration,
            BillingCycle = s.BillingCycle,
            ChargedAt = at,
        };
    }
}
