using Microsoft.Extensions.DependencyInjection;
using Skyport.PartnerCenter;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.PartnerCenter;

/// <summary>Skyport's Partner Center client against the embedded emulator: the new-commerce life of a subscription.</summary>
public sealed class SubscriptionLifeClientTests(SqliteSkyport app) : IClassFixture<SqliteSkyport>
{
    private const string BusinessBasic = "CFQ7TTC0LH18:0001:CFQ7TTC0K971";
    private const string BusinessPremium = "CFQ7TTC0LCHC:0002:CFQ7TTC0KFFN";

    private PartnerCenterClient Client => app.Services.GetRequiredService<PartnerCenterClient>();

    [Fact]
    public async Task Schedules_and_clears_a_change_at_renewal()
    {
        var customer = await app.CustomerWithTenantAsync();
        var id = (await Client.PurchaseAsync(customer.TenantId, [new CartLine(BusinessBasic, 3, "P1M", "Monthly")])).Value!.Single();

        var scheduled = await Client.ScheduleNextTermAsync(customer.TenantId, id,
            new ScheduledNextTermInstructions(new ScheduledProduct("CFQ7TTC0LCHC", "0002", "CFQ7TTC0KFFN", "Monthly", "P1Y"), 2));
        Assert.True(scheduled.IsSuccess, scheduled.Error?.Description);
        Assert.Equal(2, scheduled.Value!.ScheduledNextTermInstructions!.Quantity);
        Assert.Equal("P1Y", scheduled.Value.ScheduledNextTermInstructions.Product.TermDuration);

        var cleared = await Client.ClearNextTermAsync(customer.TenantId, id);
        Assert.Null(cleared.Value!.ScheduledNextTermInstructions);

        await Client.UpdateSubscriptionAsync(customer.TenantId, id, new SubscriptionChange(AutoRenewEnabled: false));
        var refused = await Client.ScheduleNextTermAsync(customer.TenantId, id,
            new ScheduledNextTermInstructions(new ScheduledProduct("CFQ7TTC0LH18", "0001", "CFQ7TTC0K971", "Monthly", "P1M"), 1));
        Assert.False(refused.IsSuccess);
        Assert.Equal(400, refused.Error!.HttpStatus);

        var cancelled = await Client.CancelSubscriptionAsync(customer.TenantId, id);
        Assert.Equal("deleted", cancelled.Value!.Status);
    }

    [Fact]
    public async Task Upgrades_part_of_a_subscription_and_reads_both_histories()
    {
        var customer = await app.CustomerWithTenantAsync();
        var id = (await Client.PurchaseAsync(customer.TenantId, [new CartLine(BusinessBasic, 3, "P1Y", "Monthly")])).Value!.Single();

        var eligibilities = (await Client.GetTransitionEligibilitiesAsync(customer.TenantId, id)).Value!;
        var premium = Assert.Single(eligibilities, e => e.CatalogItemId == BusinessPremium);
        Assert.Contains(premium.Eligibilities, e => e.TransitionType == TransitionTypes.WithLicenseTransfer && e.IsEligible);

        var transition = await Client.TransitionAsync(customer.TenantId, id, new TransitionRequest(BusinessPremium, 1, TransitionTypes.TransitionOnly));
        Assert.True(transition.IsSuccess, transition.Error?.Description);
        var target = (await Client.GetSubscriptionAsync(customer.TenantId, transition.Value!.ToSubscriptionId)).Value!;
        Assert.Equal(1, target.Quantity);
        Assert.Equal(2, (await Client.GetSubscriptionAsync(customer.TenantId, id)).Value!.Quantity);
        Assert.Single((await Client.ListTransitionsAsync(customer.TenantId, id)).Value!);
        Assert.Single((await Client.ListTransitionsAsync(customer.TenantId, target.Id)).Value!);

        var ineligible = await Client.TransitionAsync(customer.TenantId, target.Id, new TransitionRequest(BusinessBasic, 1, TransitionTypes.TransitionOnly));
        Assert.Equal(400, ineligible.Error!.HttpStatus);
    }

    [Fact]
    public async Task Buys_a_subscription_co_termed_with_an_existing_one()
    {
        var customer = await app.CustomerWithTenantAsync();
        var existing = (await Client.PurchaseAsync(customer.TenantId, [new CartLine(BusinessPremium, 1, "P1Y", "Annual")])).Value!.Single();
        var end = (await Client.GetSubscriptionAsync(customer.TenantId, existing)).Value!.CommitmentEndDate;

        var dates = (await Client.GetCustomTermEndDatesAsync(customer.TenantId, "P1Y")).Value!;
        var aligned = Assert.Single(dates, d => d.AllowedCustomTermEndDateType == CustomTermEndDateTypes.SubscriptionAligned);
        Assert.Contains(existing, aligned.CotermSubscriptionIds!);
        Assert.Contains(dates, d => d.AllowedCustomTermEndDateType == CustomTermEndDateTypes.CalendarMonthAligned);

        var endDay = DateOnly.FromDateTime(aligned.AllowedCustomTermEndDate);
        var bought = await Client.PurchaseAsync(customer.TenantId, [new CartLine(BusinessBasic, 2, "P1Y", "Annual", CustomTermEndDate: endDay)]);
        Assert.True(bought.IsSuccess, bought.Error?.Description);
        Assert.Equal(end, (await Client.GetSubscriptionAsync(customer.TenantId, bought.Value!.Single())).Value!.CommitmentEndDate);

        var aligning = dates.Select(d => DateOnly.FromDateTime(d.AllowedCustomTermEndDate)).ToHashSet();
        var neither = Enumerable.Range(2, 20).Select(k => endDay.AddDays(-k)).First(d => !aligning.Contains(d) && d.AddDays(1).Day != 1);
        var misaligned = await Client.PurchaseAsync(customer.TenantId, [new CartLine(BusinessBasic, 2, "P1Y", "Annual", CustomTermEndDate: neither)]);
        Assert.Equal(400, misaligned.Error!.HttpStatus);
    }
}
