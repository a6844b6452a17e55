namespace Skyport.Tests.Features.Billing;

/// <summary>R9: add-ons are their own subscriptions, listed right after their base; bases in purchase order.</summary>
public sealed class AddOnOrderTests
{
    private static ScenarioBuilder Catalog() =>
        A.Scenario()
            .WithGlobalPrice(10.00m)
            .WithGlobalPrice(3.00m, offer: "ADDON")
            .WithSubscription("A")
            .WithSubscription("B")
            .WithSubscription("A1", offer: "ADDON", parentId: "A")
            .WithSubscription("B1", offer: "ADDON", parentId: "B");

    [Fact]
    public void Subscriptions_appear_in_purchase_order_each_add_on_right_after_its_base()
    {
        var response = Catalog()
            .Purchase("B", "2025-01-02T09:00:00Z", 1)
            .Purchase("A1", "2025-01-03T08:00:00Z", 1)
            .Purchase("A", "2025-01-03T09:00:00Z", 1)
            .Purchase("B1", "2025-01-04T09:00:00Z", 1)
            .Purchase("A1", "2025-01-05T09:00:00Z", 2)
            .Reports("2025-02")
            .Rate();

        Assert.Equal([1], response.RejectedIndices());
        Assert.Contains("base subscription 'A'", response.Rejected[0].Reason);
        var report = response.Report("2025-02-16");
        Assert.Equal(["B", "B1", "A", "A1"], report.Subscriptions.Select(s => s.SubscriptionId));
        Assert.Equal([null, "B", null, "A"], report.Subscriptions.Select(s => s.ParentId));
        Assert.Equal(["cycleFee 2025-01-16..2025-02-15 2 x 3.00 = 6.00 global"], report.Lines("A1"));
        Assert.Equal(29.00m, report.Total);
    }

    [Fact]
    public void An_add_on_has_its_own_term_and_lines()
    {
        var response = Catalog()
            .Purchase("A", "2025-01-02T09:00:00Z", 4)
            .Purchase("A1", "2025-02-01T09:00:00Z", 4)
            .Reports("2025-02")
            .Rate();

        var report = response.Report("2025-02-16");
        Assert.Equal(["cycleFee 2025-01-16..2025-02-15 4 x 10.00 = 40.00 global"], report.Lines("A"));
        Assert.Equal(["proRata 2025-02-01..2025-02-15 4 x 3.00 = 5.81 global"], report.Lines("A1"));
        Assert.Equal(45.81m, report.Total);
    }
}
