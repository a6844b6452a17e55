using Skyport.Features.Billing.Rating;

namespace Skyport.Tests.Features.Billing;

/// <summary>R1: cycles for month M and end day E, clamped to the month's end.</summary>
public sealed class BillingCycleTests
{
    [Theory]
    [InlineData(15, "2025-02", "2025-01-16", "2025-02-15", 31, "2025-02-16")]
    [InlineData(15, "2025-03", "2025-02-16", "2025-03-15", 28, "2025-03-16")]
    [InlineData(15, "2025-01", "2024-12-16", "2025-01-15", 31, "2025-01-16")]
    [InlineData(28, "2025-03", "2025-03-01", "2025-03-28", 28, "2025-03-29")]
    [InlineData(28, "2024-03", "2024-02-29", "2024-03-28", 29, "2024-03-29")]
    [InlineData(29, "2024-02", "2024-01-30", "2024-02-29", 31, "2024-03-01")]
    [InlineData(29, "2025-02", "2025-01-30", "2025-02-28", 30, "2025-03-01")]
    [InlineData(29, "2025-03", "2025-03-01", "2025-03-29", 29, "2025-03-30")]
    [InlineData(29, "2024-03", "2024-03-01", "2024-03-29", 29, "2024-03-30")]
    [InlineData(30, "2025-02", "2025-01-31", "2025-02-28", 29, "2025-03-01")]
    [InlineData(30, "2025-03", "2025-03-01", "2025-03-30", 30, "2025-03-31")]
    [InlineData(30, "2024-02", "2024-01-31", "2024-02-29", 30, "2024-03-01")]
    [InlineData(31, "2024-02", "2024-02-01", "2024-02-29", 29, "2024-03-01")]
    [InlineData(31, "2025-02", "2025-02-01", "2025-02-28", 28, "2025-03-01")]
    [InlineData(31, "2025-01", "2025-01-01", "2025-01-31", 31, "2025-02-01")]
    [InlineData(31, "2025-04", "2025-04-01", "2025-04-30", 30, "2025-05-01")]
    [InlineData(1, "2025-03", "2025-02-02", "2025-03-01", 28, "2025-03-02")]
    public void Cycle_of_a_month(int endDay, string month, string start, string end, int days, string billingDate)
    {
        var cycle = BillingCycle.For(BillingMonth.Parse(month), endDay);

        Assert.Equal(DateOnly.Parse(start), cycle.Start);
        Assert.Equal(DateOnly.Parse(end), cycle.End);
        Assert.Equal(days, cycle.Days);
        Assert.Equal(DateOnly.Parse(billingDate), cycle.BillingDate);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(28)]
    [InlineData(29)]
    [InlineData(30)]
    [InlineData(31)]
    public void Cycles_follow_each_other_without_gap_or_overlap(int endDay)
    {
        var cycles = BillingCycle.Range(BillingMonth.Parse("2023-11"), BillingMonth.Parse("2025-03"), endDay);

        Assert.Equal(17, cycles.Count);
        for (var i = 1; i < cycles.Count; i++)
        {
            Assert.Equal(cycles[i - 1].End.AddDays(1), cycles[i].Start);
            Assert.Equal(cycles[i].End.AddDays(1), cycles[i].BillingDate);
        }
    }

    [Theory]
    [InlineData("2025-03-10", 15, "2025-01-16", "2025-02-15")]
    [InlineData("2025-03-15", 15, "2025-01-16", "2025-02-15")]
    [InlineData("2025-03-16", 15, "2025-02-16", "2025-03-15")]
    [InlineData("2025-03-31", 15, "2025-02-16", "2025-03-15")]
    [InlineData("2025-01-05", 31, "2024-12-01", "2024-12-31")]
    [InlineData("2025-01-31", 31, "2024-12-01", "2024-12-31")]
    [InlineData("2024-03-01", 30, "2024-01-31", "2024-02-29")]
    [InlineData("2024-03-31", 30, "2024-03-01", "2024-03-30")]
    public void Last_month_is_the_last_closed_cycle(string today, int endDay, string start, string end)
    {
        var cycle = BillingCycle.LastMonth(DateOnly.Parse(today), endDay);

        Assert.Equal(DateOnly.Parse(start), cycle.Start);
        Assert.Equal(DateOnly.Parse(end), cycle.End);
    }

    [Theory]
    [InlineData("2025-02-15", 15, "2025-02")]
    [InlineData("2025-02-16", 15, "2025-03")]
    [InlineData("2025-12-20", 15, "2026-01")]
    [InlineData("2025-01-31", 30, "2025-02")]
    [InlineData("2024-02-29", 31, "2024-02")]
    public void Cycle_containing_a_date(string date, int endDay, string month)
    {
        var cycle = BillingCycle.Containing(DateOnly.Parse(date), endDay);

        Assert.Equal(BillingMonth.Parse(month), cycle.Month);
        Assert.True(cycle.Contains(DateOnly.Parse(date)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(32)]
    public void End_day_outside_1_to_31_is_refused(int endDay)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BillingCycle.For(BillingMonth.Parse("2025-01"), endDay));
    }

    [Theory]
    [InlineData("2025-13")]
    [InlineData("2025-1")]
    [InlineData("2025/01")]
    [InlineData("")]
    [InlineData(null)]
    public void Malformed_month_is_not_parsed(string? text)
    {
        Assert.False(BillingMonth.TryParse(text, out _));
    }
}
