using Skyport.Features.Billing.Rating;
using Skyport.Features.Subscriptions;
using Skyport.PartnerCenter;

namespace Skyport.Tests.Features.Subscriptions;

/// <summary>The pure parts of the subscription list: its order, and the licenses assigned to each subscription.</summary>
public sealed class SubscriptionListingTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid BasicSku = Guid.Parse("3b555118-da6a-4418-894f-7df1e2096870");

    [Fact]
    public void Base_subscriptions_come_oldest_first_each_followed_by_its_add_ons_and_orphans_last()
    {
        var older = Subscription("Older base", Start);
        var newer = Subscription("Newer base", Start.AddDays(1));
        var lateAddOn = Subscription("Late add-on of older", Start.AddDays(3), older.Id);
        var earlyAddOn = Subscription("Early add-on of older", Start.AddDays(2), older.Id);
        var newerAddOn = Subscription("Add-on of newer", Start.AddHours(1), newer.Id);
        var orphan = Subscription("Add-on of a base not listed", Start.AddDays(-1), Guid.NewGuid());

        var ordered = ListSubscriptions.InListOrder([orphan, lateAddOn, newer, newerAddOn, earlyAddOn, older]);

        Assert.Equal(["Older base", "Early add-on of older", "Late add-on of older", "Newer base", "Add-on of newer", "Add-on of a base not listed"], ordered.Select(s => s.Name));
    }

    [Fact]
    public void Consumed_licenses_fill_the_oldest_subscription_of_a_product_first()
    {
        var first = Subscription("First", Start, quantity: 3);
        var second = Subscription("Second", Start.AddDays(1), quantity: 4);
        var third = Subscription("Third", Start.AddDays(2), quantity: 5);

        var consumed = ConsumedLicenses.ShareOut([third, first, second], Skus(("basic", BasicSku)), [Sku(BasicSku, consumed: 5)]);

        Assert.Equal(3, consumed[first.Id]);
        Assert.Equal(2, consumed[second.Id]);
        Assert.Equal(0, consumed[third.Id]);
    }

    [Fact]
    public void Ended_subscriptions_hold_no_licenses_and_suspended_ones_keep_theirs()
    {
        var cancelled = Subscription("Cancelled", Start, quantity: 10, status: SubscriptionStatus.Cancelled);
        var suspended = Subscription("Suspended", Start.AddDays(1), quantity: 2, status: SubscriptionStatus.Suspended);
        var active = Subscription("Active", Start.AddDays(2), quantity: 10);

        var consumed = ConsumedLicenses.ShareOut([cancelled, suspended, active], Skus(("basic", BasicSku)), [Sku(BasicSku, consumed: 3), Sku(BasicSku, consumed: 1)]);

        Assert.False(consumed.ContainsKey(cancelled.Id));
        Assert.Equal(2, consumed[suspended.Id]);
        Assert.Equal(2, consumed[active.Id]);
    }

    [Fact]
    public void A_product_Partner_Center_does_not_list_or_the_catalog_does_not_map_has_no_licenses_consumed()
    {
        var unmapped = Subscription("Unmapped", Start, offerId: "unmapped");
        var unlisted = Subscription("Unlisted", Start);

        var consumed = ConsumedLicenses.ShareOut([unmapped, unlisted], Skus(("basic", BasicSku), ("unmapped", null)), [Sku(Guid.NewGuid(), consumed: 9)]);

        Assert.Equal(0, consumed[unmapped.Id]);
        Assert.Equal(0, consumed[unlisted.Id]);
    }

    private static Dictionary<string, Guid?> Skus(params (string OfferId, Guid? Sku)[] skus) => skus.ToDictionary(s => s.OfferId, s => s.Sku);

    private static SubscribedSku Sku(Guid id, int consumed) => new(10, 10, consumed, 0, 10, 0, new ProductSku(id, "Business Basic", "O365_BUSINESS_ESSENTIALS"), "Enabled");

    private static O365Subscription Subscription(string name, DateTimeOffset created, Guid? parent = null, int quantity = 1,
        SubscriptionStatus status = SubscriptionStatus.Active, string offerId = "basic") => new()
    {
        Id = Guid.NewGuid(), OfferId = offerId, Name = name, Quantity = quantity, Status = status, CreatedAt = created, ParentSubscriptionId = parent,
        TermDuration = "P1M", BillingFrequency = "monthly", PriceSource = "global", Currency = "EUR",
    };
}
