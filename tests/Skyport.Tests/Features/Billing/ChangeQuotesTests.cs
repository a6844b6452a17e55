using Skyport.Features.Billing.Rating;

namespace Skyport.Tests.Features.Billing;

/// <summary>The costs the subscription pages show before a change agree with the lines the engine writes (TV22, TV23, TV27, TV10).</summary>
public sealed class ChangeQuotesTests
{
    [Fact]
    public void Upgrade_monthly_matches_tv22()
    {
        var quote = ChangeQuotes.Upgrade(10, new(2025, 8, 12), BillingFrequency.Monthly, 31, new(2026, 6, 9), 365, 6.00m, 12.50m);

        Assert.Equal((-38.71m, 80.65m, 41.94m, new DateOnly(2025, 8, 31)), (quote.Refund, quote.Charge, quote.Net, quote.To));
    }

    [Fact]
    public void Upgrade_annual_matches_tv23()
    {
        var quote = ChangeQuotes.Upgrade(3, new(2025, 4, 10), BillingFrequency.Annual, 15, new(2026, 1, 19), 365, 360.00m, 600.00m);

        Assert.Equal((-843.29m, 1405.48m), (quote.Refund, quote.Charge));
    }

    [Fact]
    public void Refund_within_the_window_matches_tv10()
    {
        // TV10: 3 seats of 20.00 removed on 2025-03-24, E=15: 3 x 20 x 23 / 31 = 44.52.
        Assert.Equal(-44.52m, ChangeQuotes.Refund(3, 20.00m, new(2025, 3, 24), BillingFrequency.Monthly, 15, new(2026, 3, 19), 365));
    }

    [Fact]
    public void Coterminous_first_term_annual_matches_tv27_and_monthly_sums_its_cycles()
    {
        Assert.Equal(167.67m, ChangeQuotes.CoterminousFirstTerm(2, 120.00m, new(2025, 5, 10), new(2026, 1, 19), TermDuration.P1Y, BillingFrequency.Annual, 15));
        // TV28: 4.29 (02-16..03-15 part) + 3 x 10 x 16 / 31 = 15.48.
        Assert.Equal(19.77m, ChangeQuotes.CoterminousFirstTerm(3, 10.00m, new(2025, 3, 12), new(2025, 3, 31), TermDuration.P1M, BillingFrequency.Monthly, 15));
    }
}
