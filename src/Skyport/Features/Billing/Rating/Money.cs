namespace Skyport.Features.Billing.Rating;

public static class Money
{
    /// <summary>R3: rounds to cents with ties away from zero (2.345 → 2.35, −5.025 → −5.03); never banker's rounding.</summary>
    public static decimal RoundHalfAwayFromZero(decimal amount) =>
        Math.Round(amount, 2, MidpointRounding.AwayFromZero);
}

/// <summary>R3: line amounts, computed in exact decimal arithmetic and rounded once per line.</summary>
public static class Proration
{
    public static int Days(DateOnly periodStart, DateOnly periodEnd) => periodEnd.DayNumber - periodStart.DayNumber + 1;

    /// <summary>quantity × unitPrice × days / periodDays, rounded; multiplying first keeps the product exact.</summary>
    public static decimal Amount(int quantity, decimal unitPrice, int days, int periodDays)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(periodDays, 1);
        return Money.RoundHalfAwayFromZero(quantity * unitPrice * days / periodDays);
    }

    /// <summary>A whole billing period costs quantity × unitPrice, whatever its length.</summary>
    public static decimal FullPeriod(int quantity, decimal unitPrice) =>
        Money.RoundHalfAwayFromZero(quantity * unitPrice);
}
