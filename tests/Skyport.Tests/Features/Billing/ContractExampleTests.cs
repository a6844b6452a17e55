namespace Skyport.Tests.Features.Billing;

/// <summary>
/// The request shown in the preview contract, rated by the rules. The contract's sample response is
/// illustrative (it shows lines at 20.00, a price the request does not have), so the expectations here
/// are worked out from R1–R9.
/// </summary>
public sealed class ContractExampleTests
{
    [Fact]
    public void The_contract_example_rates_by_the_rules()
    {
        var response = A.Scenario()
            .WithCycleEndDay(15)
            .WithGlobalPrice(12.50m)
            .WithCustomerPrice(11.25m)
            .WithSubscription("S1")
            .Purchase("S1", "2025-03-20T10:00:00Z", 10)
            .ChangeQuantity("S1", "2025-03-24T09:00:00Z", 8)
            .Suspend("S1", "2025-03-25T00:00:00Z")
            .Activate("S1", "2025-04-05T00:00:00Z")
            .Cancel("S1", "2025-04-06T00:00:00Z")
            .SetAutoRenew("S1", "2025-04-07T00:00:00Z", false)
            .Reports("2025-03", "2025-05")
            .Rate();

        Assert.Empty(response.Report("2025-03-16").Subscriptions);
        // 95 hours after the purchase the decrease is inside the window.
        Assert.Equal(
            [
                "proRata 2025-03-20..2025-04-15 10 x 11.25 = 97.98 customer",
                "refund 2025-03-24..2025-04-15 2 x 11.25 = -16.69 customer",
            ],
            response.Lines("2025-04-16"));
        Assert.Equal(81.29m, response.Report("2025-04-16").Total);
        // Suspension turned auto-renew off, so the first term (03-20..04-19) is the last.
        Assert.Equal(["proRata 2025-04-16..2025-04-19 8 x 11.25 = 12.00 customer"], response.Lines("2025-05-16"));
        // The cancellation comes after the purchase's 168-hour window closed (2025-03-27T10:00Z).
        var rejected = Assert.Single(response.Rejected);
        Assert.Equal(4, rejected.EventIndex);
        Assert.Contains("2025-03-27T10:00:00Z", rejected.Reason);
    }
}
