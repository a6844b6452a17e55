using Skyport.Features.Billing.Rating;
using Skyport.Features.Catalog;
using Skyport.Features.Subscriptions;
using Skyport.PartnerCenter;
using Skyport.Web;

namespace Skyport.Tests.Features.Subscriptions;

public sealed class BuySubscriptionRulesTests
{
    private const string BasicId = "CFQ7TTC0LH18:0001:CFQ7TTC0K971";
    private const string AudioId = "CFQ7TTC0LHXM:0001:CFQ7TTC0KXWS";

    [Fact]
    public void A_request_without_offer_or_with_a_quantity_out_of_range_names_both_fields()
    {
        var outcome = BuySubscriptionRules.Check(new BuySubscriptionRequest(" ", 0, null, null));
        Assert.Equal(FailureKind.Invalid, outcome.Failure!.Kind);
        Assert.Equal(["offerId", "quantity"], outcome.Failure.Errors!.Keys.Order());
        Assert.Equal("The quantity must be between 1 and 10,000.", outcome.Failure.Errors["quantity"].Single());
        Assert.Equal(["quantity"], BuySubscriptionRules.Check(new BuySubscriptionRequest(BasicId, 10_001, null, null)).Failure!.Errors!.Keys);
        Assert.Equal(["quantity"], BuySubscriptionRules.Check(new BuySubscriptionRequest(BasicId, null, null, null)).Failure!.Errors!.Keys);
    }

    [Fact]
    public void Too_long_a_friendly_name_or_purchase_order_number_is_refused_after_trimming()
    {
        var outcome = BuySubscriptionRules.Check(new BuySubscriptionRequest(BasicId, 1, new string('n', 101), new string('p', 51)));
        Assert.Equal(["friendlyName", "purchaseOrderNumber"], outcome.Failure!.Errors!.Keys.Order());
        Assert.True(BuySubscriptionRules.Check(new BuySubscriptionRequest(BasicId, 1, $"  {new string('n', 100)}  ", $" {new string('p', 50)} ")).Succeeded);
    }

    [Fact]
    public void Friendly_name_and_purchase_order_number_are_trimmed_and_blank_is_none()
    {
        var trimmed = BuySubscriptionRules.Check(new BuySubscriptionRequest(BasicId, 10_000, "  Sales team ", " PO-7 ", "P1Y", "annual")).Value!;
        Assert.Equal(new BuySubscriptionRequest(BasicId, 10_000, "Sales team", "PO-7", "P1Y", "annual"), trimmed);
        var blank = BuySubscriptionRules.Check(new BuySubscriptionRequest(BasicId, 1, "   ", "")).Value!;
        Assert.Null(blank.FriendlyName);
        Assert.Null(blank.PurchaseOrderNumber);
    }

    [Fact]
    public void An_offer_not_in_the_catalog_hidden_or_gone_is_an_invalid_offer_id()
    {
        foreach (var offer in new[] { null, Basic(hidden: true), Basic(available: false) })
        {
            var failure = BuySubscriptionRules.CheckOffer("the-asked-id", offer, 1, null, null)!;
            Assert.Equal(FailureKind.Invalid, failure.Kind);
            Assert.Equal("the-asked-id is not an offer of the catalog.", failure.Errors!["offerId"].Single());
        }
    }

    [Fact]
    public void An_add_on_is_bought_only_for_an_active_or_suspended_base_it_fits()
    {
        Assert.Equal("Audio Conferencing is an add-on: buy it for a base subscription under Manage add-ons.",
            BuySubscriptionRules.CheckOffer(AudioId, Audio(), 1, null, null)!.Detail);
        Assert.Equal("Microsoft 365 Business Basic is not an add-on of Business Basic for Sales.",
            BuySubscriptionRules.CheckOffer(BasicId, Basic(), 1, Subscription(SubscriptionStatus.Active), Basic())!.Detail);
        Assert.Equal("Audio Conferencing is not an add-on of Business Basic for Sales.",
            BuySubscriptionRules.CheckOffer(AudioId, Audio(baseItemCode: "CFQ7TTC0LF8R:0001"), 1, Subscription(SubscriptionStatus.Active), Basic())!.Detail);
        Assert.Equal("Audio Conferencing is not an add-on of Business Basic for Sales.",
            BuySubscriptionRules.CheckOffer(AudioId, Audio(), 1, Subscription(SubscriptionStatus.Active), null)!.Detail);
        var cancelled = BuySubscriptionRules.CheckOffer(AudioId, Audio(), 1, Subscription(SubscriptionStatus.Cancelled), Basic())!;
        Assert.Equal(FailureKind.RuleRefused, cancelled.Kind);
        Assert.Equal("Add-ons can only be bought for an active or suspended subscription; Business Basic for Sales is cancelled.", cancelled.Detail);
        Assert.Null(BuySubscriptionRules.CheckOffer(AudioId, Audio(baseItemCode: "cfq7ttc0lh18:0001"), 1, Subscription(SubscriptionStatus.Suspended), Basic()));
        Assert.Null(BuySubscriptionRules.CheckOffer(AudioId, Audio(), 1, Subscription(SubscriptionStatus.Active), Basic()));
    }

    [Fact]
    public void More_than_the_offers_maximum_quantity_is_an_invalid_quantity()
    {
        var failure = BuySubscriptionRules.CheckOffer(BasicId, Basic(), 301, null, null)!;
        Assert.Equal("Microsoft 365 Business Basic is sold up to 300 licenses per subscription.", failure.Errors!["quantity"].Single());
        Assert.Null(BuySubscriptionRules.CheckOffer(BasicId, Basic(), 300, null, null));
    }

    [Theory]
    [InlineData("P1M/monthly,P1Y/monthly,P1Y/annual", null, null, "P1M/monthly")]
    [InlineData("P1Y/annual,P1Y/monthly", null, null, "P1Y/annual")]
    [InlineData("P1M/monthly,P1Y/monthly,P1Y/annual", " p1y ", null, "P1Y/monthly")]
    [InlineData("P1M/monthly,P1Y/monthly,P1Y/annual", "P1Y", "Annual", "P1Y/annual")]
    [InlineData("P1M/monthly,P1Y/annual", null, "annual", "P1Y/annual")]
    [InlineData("P1M/monthly,P1Y/monthly", "P3Y", null, null)]
    [InlineData("P1M/monthly", "P1M", "annual", null)]
    [InlineData("", null, null, null)]
    public void The_term_is_the_one_asked_for_else_monthly_for_a_month(string terms, string? term, string? frequency, string? expected)
    {
        var offer = Basic();
        offer.Terms = terms;
        Assert.Equal(expected, BuySubscriptionRules.ChooseTerm(offer, term, frequency)?.ToString());
    }

    [Fact]
    public void A_retried_key_is_the_same_purchase_only_for_the_same_customer_offer_quantity_and_base()
    {
        var customer = Guid.NewGuid();
        var parent = Guid.NewGuid();
        var intent = new PurchaseIntent
        {
            OrganizationId = customer, OfferId = AudioId, Quantity = 5, ParentSubscriptionId = parent,
            TermDuration = "P1M", BillingFrequency = "monthly", PriceSource = "global", Currency = "EUR",
        };
        Assert.True(BuySubscriptionRules.IsSamePurchase(intent, customer, AudioId, 5, parent));
        Assert.False(BuySubscriptionRules.IsSamePurchase(intent, Guid.NewGuid(), AudioId, 5, parent));
        Assert.False(BuySubscriptionRules.IsSamePurchase(intent, customer, BasicId, 5, parent));
        Assert.False(BuySubscriptionRules.IsSamePurchase(intent, customer, AudioId, 6, parent));
        Assert.False(BuySubscriptionRules.IsSamePurchase(intent, customer, AudioId, 5, null));
    }

    [Fact]
    public void An_earlier_checkout_is_found_only_when_exactly_one_new_unclaimed_line_fits()
    {
        var recorded = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
        var line = new CartLine(AudioId, 5, "P1M", "monthly", null, Guid.Parse("7d3c1a52-55a4-4e55-9a0e-3b1ed5b10001"));
        var ours = Guid.NewGuid();
        Assert.Equal(ours, BuySubscriptionRules.EarlierOrder([OrderOf(recorded.AddSeconds(-30), LineOf(ours, AudioId.ToLowerInvariant(), 5, line.ParentSubscriptionId))], recorded, line, [], []));

        Assert.Null(BuySubscriptionRules.EarlierOrder([OrderOf(recorded.AddMinutes(-2), LineOf(ours, AudioId, 5, line.ParentSubscriptionId))], recorded, line, [], []));
        Assert.Null(BuySubscriptionRules.EarlierOrder([OrderOf(recorded, LineOf(ours, AudioId, 4, line.ParentSubscriptionId))], recorded, line, [], []));
        Assert.Null(BuySubscriptionRules.EarlierOrder([OrderOf(recorded, LineOf(ours, AudioId, 5, null))], recorded, line, [], []));
        Assert.Null(BuySubscriptionRules.EarlierOrder([OrderOf(recorded, LineOf(ours, BasicId, 5, line.ParentSubscriptionId))], recorded, line, [], []));
        Assert.Null(BuySubscriptionRules.EarlierOrder([OrderOf(recorded, LineOf(ours, AudioId, 5, line.ParentSubscriptionId))], recorded, line, [ours], []));
        Assert.Null(BuySubscriptionRules.EarlierOrder([OrderOf(recorded, LineOf(ours, AudioId, 5, line.ParentSubscriptionId))], recorded, line, [], [ours]));

        var twin = Guid.NewGuid();
        var two = OrderOf(recorded.AddSeconds(5), LineOf(ours, AudioId, 5, line.ParentSubscriptionId), LineOf(twin, AudioId, 5, line.ParentSubscriptionId));
        Assert.Null(BuySubscriptionRules.EarlierOrder([two], recorded, line, [], []));
        Assert.Equal(ours, BuySubscriptionRules.EarlierOrder([two], recorded, line, [twin], []));
    }

    [Theory]
    [InlineData(null, SubscriptionStatus.Pending)]
    [InlineData("pending", SubscriptionStatus.Pending)]
    [InlineData("Pending", SubscriptionStatus.Pending)]
    [InlineData("completed", SubscriptionStatus.Active)]
    public void A_new_subscription_is_pending_until_its_order_is_known_done(string? orderStatus, SubscriptionStatus expected) =>
        Assert.Equal(expected, BuySubscriptionRules.StatusOfOrder(orderStatus));

    private static CatalogOffer Basic(bool hidden = false, bool available = true) =>
        Offer(BasicId, "Microsoft 365 Business Basic", isAddOn: false, baseItemCodes: "", hidden, available);

    private static CatalogOffer Audio(string baseItemCode = "CFQ7TTC0LH18:0001") =>
        Offer(AudioId, "Audio Conferencing", isAddOn: true, baseItemCodes: $"CFQ7TTC0LF8R:0002,{baseItemCode}", hidden: false, available: true);

    private static CatalogOffer Offer(string id, string name, bool isAddOn, string baseItemCodes, bool hidden, bool available)
    {
        var parts = id.Split(':');
        return new CatalogOffer
        {
            Id = id, ProductId = parts[0], SkuId = parts[1], AvailabilityId = parts[2], ItemCode = CatalogOffer.ItemCodeOf(parts[0], parts[1]),
            Name = name, Category = "Microsoft 365", ProductGroup = "Business", IsAddOn = isAddOn, BaseItemCodes = baseItemCodes,
            Terms = "P1M/monthly,P1Y/annual", MaximumQuantity = 300, Hidden = hidden, Available = available,
        };
    }

    private static O365Subscription Subscription(SubscriptionStatus status) => new()
    {
        Id = Guid.NewGuid(), OfferId = BasicId, Name = "Business Basic for Sales", Status = status,
        TermDuration = "P1M", BillingFrequency = "monthly", PriceSource = "global", Currency = "EUR",
    };

    private static Order OrderOf(DateTimeOffset created, params OrderLineItem[] lines) =>
        new(Guid.NewGuid().ToString(), Guid.NewGuid(), "monthly", "EUR", lines, created, "completed");

    private static OrderLineItem LineOf(Guid subscriptionId, string offerId, int quantity, Guid? parentId) =>
        new(1, offerId, subscriptionId, parentId, null, quantity, "P1M", "New");
}
