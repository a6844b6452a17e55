using Skyport.Features.Billing.Rating;

namespace Skyport.Tests.Features.Billing;

/// <summary>R6: terms anchored on the first term's day of month, clamped to short months.</summary>
public sealed class TermsTests
{
    [Theory]
    [InlineData("2025-01-10", TermDuration.P1Y, 0, "2025-01-10", "2026-01-09", 365)]
    [InlineData("2024-01-10", TermDuration.P1Y, 0, "2024-01-10", "2025-01-09", 366)]
    [InlineData("2025-01-31", TermDuration.P1M, 0, "2025-01-31", "2025-02-27", 28)]
    [InlineData("2025-01-31", TermDuration.P1M, 1, "2025-02-28", "2025-03-30", 31)]
    [InlineData("2025-01-31", TermDuration.P1M, 2, "2025-03-31", "2025-04-29", 30)]
    [InlineData("2024-02-29", TermDuration.P1Y, 0, "2024-02-29", "2025-02-27", 365)]
    [InlineData("2024-02-29", TermDuration.P1Y, 1, "2025-02-28", "2026-02-27", 365)]
    [InlineData("2024-02-29", TermDuration.P1Y, 4, "2028-02-29", "2029-02-27", 365)]
    [InlineData("2024-11-03", TermDuration.P1M, 3, "2025-02-03", "2025-03-02", 28)]
    public void Term_k_start_end_and_days(
        string firstStart, TermDuration duration, int index, string start, string end, int days)
    {
        var anchor = DateOnly.Parse(firstStart);

        Assert.Equal(DateOnly.Parse(start), Terms.Start(anchor, duration, index));
        Assert.Equal(DateOnly.Parse(end), Terms.End(anchor, duration, index));
        Assert.Equal(days, Terms.Days(anchor, duration, index));
    }

    [Theory]
    [InlineData("2025-01-31", TermDuration.P1M, "2025-02-27", 0)]
    [InlineData("2025-01-31", TermDuration.P1M, "2025-02-28", 1)]
    [InlineData("2025-01-31", TermDuration.P1M, "2025-03-31", 2)]
    [InlineData("2025-01-10", TermDuration.P1Y, "2026-01-09", 0)]
    [InlineData("2025-01-10", TermDuration.P1Y, "2026-01-10", 1)]
    public void Index_of_the_term_containing_a_date(string firstStart, TermDuration duration, string date, int index)
    {
        Assert.Equal(index, Terms.IndexContaining(DateOnly.Parse(firstStart), duration, DateOnly.Parse(date)));
    }
}
