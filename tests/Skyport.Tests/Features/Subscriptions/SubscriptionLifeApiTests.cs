using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Skyport.Features.Billing.Rating;
using Skyport.Tests.Features.Billing.Reports;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Subscriptions;

public sealed class SubscriptionLifeApiOnSqlite(SqliteSkyport app) : SubscriptionLifeApiTests(app), IClassFixture<SqliteSkyport>;

public sealed class SubscriptionLifeApiOnPostgres(PostgresSkyport app) : SubscriptionLifeApiTests(app), IClassFixture<PostgresSkyport>;

/// <summary>Changes at renewal (R10), the end-of-term action and the extended service term (R12), cancelling in the window.</summary>
public abstract class SubscriptionLifeApiTests(SkyportApp app) : IAsyncLifetime
{
    private readonly EmulatorControl _emulator = new(app);

    public Task InitializeAsync() => Shop.ImportCatalogAsync(app);

    public Task DisposeAsync() => _emulator.ClearFaultsAsync();

    private static string Url(Guid customer, string rest = "") => $"/api/v1/customers/{customer}/o365/subscriptions{rest}";

    private async Task<(Guid Customer, Guid Id)> BuyAsync(int quantity)
    {
        var customer = await Shop.CustomerWithO365Async(app);
        var bought = (await (await app.Broker().PostJsonAsync(Url(customer), new { offerId = Shop.BusinessBasic, quantity })).ExpectAsync(HttpStatusCode.Created))!;
        return (customer, bought["id"]!.GetValue<Guid>());
    }

    private async Task<JsonNode> GetAsync(Guid customer, Guid id) =>
        (await (await app.Broker().GetAsync(Url(customer, $"/{id}"))).ExpectAsync(HttpStatusCode.OK))!;

    private async Task<JsonNode> PartnerCenterAsync(Guid id) =>
        (await _emulator.SubscriptionsAsync()).Single(s => s["id"]!.GetValue<Guid>() == id);

    private async Task<List<string>> KindsAsync(Guid customer, Guid id) =>
        [.. (await (await app.Broker().GetAsync(Url(customer, $"/{id}/events"))).ExpectAsync(HttpStatusCode.OK))!.AsArray().Select(e => e!["kind"]!.GetValue<string>())];

    /// <summary>Moves the emulator's clock (and Skyport's) to <paramref name="days"/> after the subscription's renewal date, then reconciles.</summary>
    private async Task PassRenewalAsync(Guid customer, Guid id, int days = 1)
    {
        var renewal = DateOnly.Parse((await GetAsync(customer, id))["renewalDate"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var today = await _emulator.TodayAsync();
        await _emulator.AdvanceClockAsync(renewal.DayNumber - today.DayNumber + days, hours: 1);
        await (await app.Broker().PostJsonAsync(Url(customer, "/reconcile"), new { })).ExpectAsync(HttpStatusCode.OK);
    }

    private static DateOnly Date(JsonNode? node) => DateOnly.Parse(node!.GetValue<string>(), CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_quantity_scheduled_at_renewal_shows_until_the_renewal_which_applies_it_and_billing_rates_the_new_term_with_it()
    {
        var (customer, id) = await BuyAsync(5);

        var scheduled = (await (await app.Broker().PutJsonAsync(Url(customer, $"/{id}/renewal"), new { quantity = 3 })).ExpectAsync(HttpStatusCode.OK))!;
        Assert.Equal(3, scheduled["scheduledRenewal"]!["quantity"]!.GetValue<int>());
        Assert.Equal(5, scheduled["quantity"]!.GetValue<int>());
        Assert.Equal(3, (await PartnerCenterAsync(id))["scheduledNextTermInstructions"]!["quantity"]!.GetValue<int>());
        var listed = (await (await app.Broker().GetAsync(Url(customer))).ExpectAsync(HttpStatusCode.OK))!["items"]![0]!;
        Assert.Equal(3, listed["scheduledRenewal"]!["quantity"]!.GetValue<int>());
        var renewalDate = Date(scheduled["renewalDate"]).AddDays(1);

        await PassRenewalAsync(customer, id);

        var renewed = await GetAsync(customer, id);
        Assert.Equal(3, renewed["quantity"]!.GetValue<int>());
        Assert.Null(renewed["scheduledRenewal"]);
        var kinds = await KindsAsync(customer, id);
        Assert.Equal(["purchase", "scheduleRenewal", "renew"], kinds);

        var reports = await app.CustomerReportsAsync(customer, BillingApi.CycleMonth(renewalDate.AddDays(-1)), BillingApi.CycleMonth(renewalDate));
        var lines = reports.SelectMany(r => BillingApi.LinesOf(r!)).ToList();
        Assert.Contains(lines, l => l["quantity"]!.GetValue<int>() == 3 && Date(l["periodStart"]) >= renewalDate);
        Assert.DoesNotContain(lines, l => l["quantity"]!.GetValue<int>() == 5 && Date(l["periodEnd"]) >= renewalDate);
        Assert.Contains(lines, l => l["quantity"]!.GetValue<int>() == 5 && Date(l["periodEnd"]) < renewalDate);
    }

    [Fact]
    public async Task Remove_deletes_the_schedule_and_an_immediate_change_deletes_it_too()
    {
        var (customer, id) = await BuyAsync(4);
        await (await app.Broker().PutJsonAsync(Url(customer, $"/{id}/renewal"), new { quantity = 2 })).ExpectAsync(HttpStatusCode.OK);

        var removed = (await (await app.Broker().DeleteAsync(Url(customer, $"/{id}/renewal"))).ExpectAsync(HttpStatusCode.OK))!;
        Assert.Null(removed["scheduledRenewal"]);
        Assert.Null((await PartnerCenterAsync(id))["scheduledNextTermInstructions"]);

        await (await app.Broker().PutJsonAsync(Url(customer, $"/{id}/renewal"), new { termDuration = "P1Y" })).ExpectAsync(HttpStatusCode.OK);
        var changed = (await (await app.Broker().PatchAsync(Url(customer, $"/{id}"), System.Net.Http.Json.JsonContent.Create(new { quantity = 6 }))).ExpectAsync(HttpStatusCode.OK))!;
        Assert.Null(changed["scheduledRenewal"]);
        Assert.Null((await PartnerCenterAsync(id))["scheduledNextTermInstructions"]);
        Assert.Equal(["purchase", "scheduleRenewal", "clearSchedule", "scheduleRenewal", "changeQuantity"], await KindsAsync(customer, id));
    }

    [Theory]
    [InlineData("{}", "quantity")]
    [InlineData("""{"quantity":0}""", "quantity")]
    [InlineData("""{"termDuration":"P2Y"}""", "termDuration")]
    [InlineData("""{"billingFrequency":"weekly"}""", "billingFrequency")]
    [InlineData("""{"offerId":""}""", "offerId")]
    public async Task A_malformed_schedule_is_refused_naming_the_field(string body, string field)
    {
        var (customer, id) = await BuyAsync(2);
        var problem = (await (await app.Broker().PutAsync(Url(customer, $"/{id}/renewal"), new StringContent(body, System.Text.Encoding.UTF8, "application/json")))
            .ExpectAsync(HttpStatusCode.BadRequest))!;
        Assert.NotNull(problem["errors"]![field]);
        Assert.Null((await PartnerCenterAsync(id))["scheduledNextTermInstructions"]);
    }

    [Fact]
    public async Task A_schedule_the_rules_refuse_gets_422_naming_the_field_and_changes_nothing()
    {
        var (customer, id) = await BuyAsync(2);
        var unknown = (await (await app.Broker().PutJsonAsync(Url(customer, $"/{id}/renewal"), new { offerId = "NOPE:0001:NOPE" })).ExpectAsync(HttpStatusCode.UnprocessableEntity))!;
        Assert.NotNull(unknown["errors"]!["offerId"]);
        var same = (await (await app.Broker().PutJsonAsync(Url(customer, $"/{id}/renewal"), new { quantity = 2 })).ExpectAsync(HttpStatusCode.UnprocessableEntity))!;
        Assert.NotNull(same["errors"]!["quantity"]);
        var annualMonthly = (await (await app.Broker().PutJsonAsync(Url(customer, $"/{id}/renewal"), new { billingFrequency = "annual" })).ExpectAsync(HttpStatusCode.UnprocessableEntity))!;
        Assert.NotNull(annualMonthly["errors"]!["billingFrequency"]);

        await (await app.Broker().PatchAsync(Url(customer, $"/{id}"), System.Net.Http.Json.JsonContent.Create(new { autoRenew = false }))).ExpectAsync(HttpStatusCode.OK);
        var autoRenewOff = (await (await app.Broker().PutJsonAsync(Url(customer, $"/{id}/renewal"), new { quantity = 1 })).ExpectAsync(HttpStatusCode.UnprocessableEntity))!;
        Assert.NotNull(autoRenewOff["errors"]!["autoRenew"]);
        Assert.Contains("auto-renew", autoRenewOff["detail"]!.GetValue<string>());

        Assert.Null((await GetAsync(customer, id))["scheduledRenewal"]);
        Assert.Null((await PartnerCenterAsync(id))["scheduledNextTermInstructions"]);
        Assert.Equal(["purchase", "setAutoRenew"], await KindsAsync(customer, id));
    }

    [Fact]
    public async Task The_end_of_term_action_is_renew_extend_or_cancel_in_Partner_Center_and_in_Skyport()
    {
        var (customer, id) = await BuyAsync(2);
        Assert.Equal("renew", (await GetAsync(customer, id))["endOfTermAction"]!.GetValue<string>());

        var cancel = (await (await app.Broker().PatchAsync(Url(customer, $"/{id}"), System.Net.Http.Json.JsonContent.Create(new { endOfTermAction = "cancel" }))).ExpectAsync(HttpStatusCode.OK))!;
        Assert.Equal("cancel", cancel["endOfTermAction"]!.GetValue<string>());
        Assert.False(cancel["autoRenew"]!.GetValue<bool>());
        Assert.True((await PartnerCenterAsync(id))["cancelAtTermEnd"]!.GetValue<bool>());

        var extend = (await (await app.Broker().PatchAsync(Url(customer, $"/{id}"), System.Net.Http.Json.JsonContent.Create(new { endOfTermAction = "extend" }))).ExpectAsync(HttpStatusCode.OK))!;
        Assert.Equal("extend", extend["endOfTermAction"]!.GetValue<string>());
        var pc = await PartnerCenterAsync(id);
        Assert.False(pc["cancelAtTermEnd"]!.GetValue<bool>());
        Assert.False(pc["autoRenewEnabled"]!.GetValue<bool>());

        var renew = (await (await app.Broker().PatchAsync(Url(customer, $"/{id}"), System.Net.Http.Json.JsonContent.Create(new { endOfTermAction = "renew" }))).ExpectAsync(HttpStatusCode.OK))!;
        Assert.Equal("renew", renew["endOfTermAction"]!.GetValue<string>());
        Assert.True((await PartnerCenterAsync(id))["autoRenewEnabled"]!.GetValue<bool>());
        Assert.Equal(["purchase", "cancelAtTermEnd", "setAutoRenew", "setAutoRenew", "setAutoRenew"], await KindsAsync(customer, id));

        var bad = (await (await app.Broker().PatchAsync(Url(customer, $"/{id}"), System.Net.Http.Json.JsonContent.Create(new { endOfTermAction = "later" }))).ExpectAsync(HttpStatusCode.BadRequest))!;
        Assert.NotNull(bad["errors"]!["endOfTermAction"]);
    }

    [Fact]
    public async Task Extended_at_term_end_it_continues_at_the_extended_price_which_billing_rates_and_it_can_be_cancelled_at_any_time()
    {
        var (customer, id) = await BuyAsync(2);
        var bought = (await (await app.Broker().PatchAsync(Url(customer, $"/{id}"), System.Net.Http.Json.JsonContent.Create(new { endOfTermAction = "extend" }))).ExpectAsync(HttpStatusCode.OK))!;
        var termEnd = Date(bought["renewalDate"]);

        await PassRenewalAsync(customer, id, days: 10);

        var extended = await GetAsync(customer, id);
        var est = extended["extendedServiceTerm"]!;
        Assert.Equal(termEnd.AddDays(1), Date(est["startDate"]));
        var monthly = bought["unitPrice"]!.GetValue<decimal>(); // Business Basic P1M monthly: the one-month price
        Assert.Equal(Money.RoundHalfAwayFromZero(monthly * 1.03m), est["unitPrice"]!.GetValue<decimal>());
        Assert.Equal("active", extended["status"]!.GetValue<string>());

        var reports = await app.CustomerReportsAsync(customer, BillingApi.CycleMonth(termEnd.AddDays(1)), BillingApi.CycleMonth(termEnd.AddDays(11)));
        var lines = reports.SelectMany(r => BillingApi.LinesOf(r!)).ToList();
        Assert.Contains(lines, l => l["unitPrice"]!.GetValue<decimal>() == est["unitPrice"]!.GetValue<decimal>() && Date(l["periodStart"]) >= termEnd.AddDays(1));

        var onlyCancel = (await (await app.Broker().PatchAsync(Url(customer, $"/{id}"), System.Net.Http.Json.JsonContent.Create(new { quantity = 3 }))).ExpectAsync(HttpStatusCode.UnprocessableEntity))!;
        Assert.Contains("extended service term", onlyCancel["detail"]!.GetValue<string>());

        var cancelled = (await (await app.Broker().PatchAsync(Url(customer, $"/{id}"), System.Net.Http.Json.JsonContent.Create(new { status = "cancelled" }))).ExpectAsync(HttpStatusCode.OK))!;
        Assert.Equal("cancelled", cancelled["status"]!.GetValue<string>());
        Assert.Equal("deleted", (await PartnerCenterAsync(id))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cancelling_within_168_hours_ends_the_subscription_and_after_it_is_refused_with_when_the_window_closed()
    {
        var (customer, id) = await BuyAsync(2);
        var cancelled = (await (await app.Broker().PatchAsync(Url(customer, $"/{id}"), System.Net.Http.Json.JsonContent.Create(new { status = "cancelled" }))).ExpectAsync(HttpStatusCode.OK))!;
        Assert.Equal("cancelled", cancelled["status"]!.GetValue<string>());
        Assert.Equal("deleted", (await PartnerCenterAsync(id))["status"]!.GetValue<string>());
        Assert.Equal(["purchase", "cancel"], await KindsAsync(customer, id));

        var (other, late) = await BuyAsync(2);
        await _emulator.AdvanceClockAsync(days: 7, hours: 1);
        var refused = (await (await app.Broker().PatchAsync(Url(other, $"/{late}"), System.Net.Http.Json.JsonContent.Create(new { status = "cancelled" }))).ExpectAsync(HttpStatusCode.UnprocessableEntity))!;
        Assert.NotNull(refused["windowClosedAt"]);
        Assert.Equal("active", (await PartnerCenterAsync(late))["status"]!.GetValue<string>());
        Assert.Equal(["purchase"], await KindsAsync(other, late));

        var mixed = (await (await app.Broker().PatchAsync(Url(other, $"/{late}"), System.Net.Http.Json.JsonContent.Create(new { status = "cancelled", quantity = 1 }))).ExpectAsync(HttpStatusCode.BadRequest))!;
        Assert.NotNull(mixed["errors"]!["status"]);
    }
}
