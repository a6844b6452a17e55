using Skyport.Features.Billing.Rating;
using Skyport.Features.Subscriptions;
using Skyport.PartnerCenter;

namespace Skyport.Tests.Features.Subscriptions;

public sealed class TermEndAlignmentRulesTests
{
    private static readonly DateOnly Today = new(2026, 12, 3);
    private static readonly Guid Other = Guid.NewGuid();

    private static IReadOnlyList<TermEndChoice> Offered() => TermEndAlignmentRules.Choices(
        [
            new CustomTermEndDateOption(CustomTermEndDateTypes.SubscriptionAligned, new DateTime(2027, 1, 2), [Other, Guid.NewGuid()]),
            new CustomTermEndDateOption(CustomTermEndDateTypes.CalendarMonthAligned, new DateTime(2027, 11, 30), null),
        ],
        new Dictionary<Guid, string> { [Other] = "Head office" });

    [Fact]
    public void Choices_are_in_date_order_and_name_the_subscriptions_Skyport_knows()
    {
        var choices = Offered();
        Assert.Equal([new DateOnly(2027, 1, 2), new DateOnly(2027, 11, 30)], choices.Select(c => c.Date));
        Assert.Equal("Head office", Assert.Single(choices[0].AlignedWith).Name);
        Assert.False(choices[0].MonthEnd);
        Assert.True(choices[1].MonthEnd);
        Assert.StartsWith("The end of the month", choices[1].Label);
    }

    [Theory]
    [InlineData("2027-01-02", null)]
    [InlineData("2027-11-30", null)]
    [InlineData("2027-10-31", "does not offer")]         // a month end, but not one Partner Center offers today
    [InlineData("2027-01-05", "neither the last day")]   // aligns with nothing
    [InlineData("2028-01-31", "natural term end")]       // after the first term's natural end
    [InlineData("2026-12-03", "after the purchase date")]
    public void A_date_must_pass_R13_and_be_one_Partner_Center_offers(string date, string? refusal)
    {
        var failure = TermEndAlignmentRules.Check(DateOnly.Parse(date), Today, TermDuration.P1Y, [new DateOnly(2027, 1, 2)], Offered());
        if (refusal is null)
        {
            Assert.Null(failure);
            return;
        }
        Assert.Contains(refusal, Assert.Single(failure!.Errors![TermEndAlignmentRules.Field]));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("2027-01-02", true)]
    [InlineData("2/1/2027", false)]
    [InlineData("2027-02-30", false)]
    public void The_date_is_read_in_the_form_yyyy_MM_dd(string? text, bool read)
    {
        Assert.Equal(read, TermEndAlignmentRules.Parse(text).Succeeded);
    }

    [Theory]
    [InlineData("P1Y", "2027-01-02", "2027-01-02")] // ends before the natural first term end: co-termed
    [InlineData("P1Y", "2027-12-02", null)]         // the natural first term end
    [InlineData("P1M", "2027-01-02", null)]
    [InlineData("P3Y", "2027-01-02", null)]         // a term Skyport does not rate
    public void A_subscription_read_from_Partner_Center_is_co_termed_when_its_first_commitment_ends_early(string term, string commitmentEnd, string? custom)
    {
        Assert.Equal(custom is null ? null : DateOnly.Parse(custom), TermEndAlignmentRules.CustomFirstTermEnd(Today, term, DateOnly.Parse(commitmentEnd)));
    }

    [Fact]
    public void A_retry_is_the_same_purchase_only_with_the_same_custom_term_end()
    {
        var customer = Guid.NewGuid();
        var intent = new PurchaseIntent
        {
            OrganizationId = customer, OfferId = "offer", Quantity = 2, TermDuration = "P1Y", BillingFrequency = "annual",
            PriceSource = "global", Currency = "EUR", CustomTermEndDate = new DateOnly(2027, 1, 2),
        };
        Assert.True(BuySubscriptionRules.IsSamePurchase(intent, customer, "offer", 2, null, new DateOnly(2027, 1, 2)));
        Assert.False(BuySubscriptionRules.IsSamePurchase(intent, customer, "offer", 2, null, new DateOnly(2027, 11, 30)));
        Assert.False(BuySubscriptionRules.IsSamePurchase(intent, customer, "offer", 2, null));
    }
}
