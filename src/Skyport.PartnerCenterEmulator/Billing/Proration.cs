namespace Skyport.PartnerCenterEmulator.Billing;

/// <summary>Partner Center's proration: (price / days in period) × days used, rounded to cents per unit, then × quantity.</summary>
public static class Proration
{
    public static decimal UnitAmount(decimal periodPrice, DateOnly periodStart, DateOnly periodEnd, DateOnly from)
    {
        var totalDays = periodEnd.DayNumber - periodStart.DayNumber + 1;
        var days = Math.Clamp(periodEnd.DayNumber - from.DayNumber + 1, 0, totalDays);
        return Math.Round(periodPrice / totalDays * days, 2, MidpointRounding.AwayFromZero);
    }

    public static decimal Amount(decimal periodPrice, DateOnly periodStart, DateOnly periodEnd, DateOnly from, int quantity) =>
        UnitAmount(periodPrice, periodStart, periodEnd, from) * quantity;
}
