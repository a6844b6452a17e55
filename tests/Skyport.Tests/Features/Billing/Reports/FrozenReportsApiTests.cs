using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.PartnerCenter;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Billing.Reports;

/// <summary>Skyport issuing closed cycles in the background every 200 ms, as it does every minute in production.</summary>
public sealed class BillingOnSqlite : SqliteSkyport
{
    public BillingOnSqlite() => Set("Skyport:Billing:IssueEvery", "00:00:00.200");
}

/// <inheritdoc cref="BillingOnSqlite"/>
public sealed class BillingOnPostgres : PostgresSkyport
{
    public BillingOnPostgres() => Set("Skyport:Billing:IssueEvery", "00:00:00.200");
}

public sealed class FrozenReportsOnSqlite(BillingOnSqlite app) : FrozenReportsApiTests(app), IClassFixture<BillingOnSqlite>;

public sealed class FrozenReportsOnPostgres(BillingOnPostgres app) : FrozenReportsApiTests(app), IClassFixture<BillingOnPostgres>;

/// <summary>A closed cycle's report is kept as issued; later changes come as correction lines in the next report.</summary>
public abstract class FrozenReportsApiTests(SkyportApp app) : IAsyncLifetime
{
    private readonly EmulatorControl _emulator = new(app);

    public Task InitializeAsync() => Shop.ImportCatalogAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// A new customer that bought <paramref name="quantity"/> seats on the 20th (and whatever <paramref name="alsoThen"/> does), then
    /// the clock 30 days later: the month of the purchase's cycle, now closed, and of the current cycle.
    /// </summary>
    private async Task<(Guid Customer, string Closed, string Current)> BoughtInAClosedCycleAsync(int quantity, Func<Guid, Task>? alsoThen = null)
    {
        var customer = await Shop.CustomerWithO365Async(app);
        var bought = await _emulator.AdvanceToDayAsync(20);
        await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer}/o365/subscriptions", new { offerId = Shop.BusinessBasic, quantity }))
            .ExpectAsync(HttpStatusCode.Created);
        if (alsoThen is not null)
        {
            await alsoThen(customer);
        }
        await _emulator.AdvanceClockAsync(30);
        return (customer, BillingApi.CycleMonth(bought), BillingApi.CycleMonth(await _emulator.TodayAsync()));
    }

    [Fact]
    public async Task A_price_list_edit_with_a_past_effective_date_leaves_the_issued_report_and_corrects_the_next_one_once()
    {
        var (customer, closed, current) = await BoughtInAClosedCycleAsync(2);
        var issued = (await app.CustomerReportsAsync(customer, closed)).Report(BillingApi.BillingDateOf(closed));
        Assert.Equal("proRata", BillingApi.LinesOf(issued).Single()["type"]!.GetValue<string>());

        await (await app.Broker().PutJsonAsync($"/api/v1/customers/{customer}/price-list", new
        {
            items = new[] { new { offerId = Shop.BusinessBasic, termDuration = "P1M", billingFrequency = "monthly", unitPrice = 1.00m, effectiveFrom = "2000-01-01" } },
        })).ExpectAsync(HttpStatusCode.OK);

        var reports = await app.CustomerReportsAsync(customer, closed, current);
        Assert.Equal(issued.ToJsonString(), reports.Report(BillingApi.BillingDateOf(closed)).ToJsonString());
        var preview = await app.PreviewAsync(await app.ScenarioOfAsync(customer, closed, current));
        var rerated = preview.Report(BillingApi.BillingDateOf(closed));
        Assert.Equal(["proRata"], BillingApi.LinesOf(rerated).Select(l => l["type"]!.GetValue<string>()));
        Assert.Equal("customer", BillingApi.LinesOf(rerated).Single()["priceSource"]!.GetValue<string>());

        var next = reports.Report(BillingApi.BillingDateOf(current));
        Assert.Equal(BillingApi.Charges(preview.Report(BillingApi.BillingDateOf(current))), BillingApi.Charges(next));
        var corrections = BillingApi.Corrections(next);
        Assert.Equal(2, corrections.Count);
        Assert.All(corrections, c => Assert.Equal(BillingApi.BillingDateOf(closed).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), c["corrects"]!.GetValue<string>()));
        Assert.Equal(rerated["total"]!.GetValue<decimal>() - issued["total"]!.GetValue<decimal>(), corrections.Sum(c => c["amount"]!.GetValue<decimal>()));
        var original = BillingApi.LinesOf(issued).Single();
        Assert.Contains(corrections, c => c["quantity"]!.GetValue<int>() == -2 && c["amount"]!.GetValue<decimal>() == -original["amount"]!.GetValue<decimal>()
            && c["unitPrice"]!.GetValue<decimal>() == original["unitPrice"]!.GetValue<decimal>());

        // A month later the correction is issued with its report, and not repeated in the following one.
        await _emulator.AdvanceClockAsync(31);
        var later = BillingApi.CycleMonth(await _emulator.TodayAsync());
        var after = await app.CustomerReportsAsync(customer, closed, later);
        Assert.Equal(issued.ToJsonString(), after.Report(BillingApi.BillingDateOf(closed)).ToJsonString());
        // The open report, issued now, is the same but for saying so.
        Assert.False(next["issued"]!.GetValue<bool>());
        next["issued"] = true;
        Assert.Equal(next.ToJsonString(), after.Report(BillingApi.BillingDateOf(current)).ToJsonString());
        Assert.Empty(BillingApi.Corrections(after.Report(BillingApi.BillingDateOf(later))));
    }

    [Fact]
    public async Task A_subscription_learnt_late_from_Partner_Center_is_corrected_in_the_next_report_on_every_view()
    {
        var (customer, closed, current) = await BoughtInAClosedCycleAsync(1, BoughtInPartnerCenterAsync);
        var issued = (await app.CustomerReportsAsync(customer, closed)).Report(BillingApi.BillingDateOf(closed));
        Assert.Single(issued["subscriptions"]!.AsArray());

        Assert.True((await (await app.Broker().PostAsync($"/api/v1/customers/{customer}/o365/subscriptions/reconcile", null)).ExpectAsync(HttpStatusCode.OK))!["events"]!.GetValue<int>() > 0);

        var reports = await app.CustomerReportsAsync(customer, closed, current);
        Assert.Equal(issued.ToJsonString(), reports.Report(BillingApi.BillingDateOf(closed)).ToJsonString());
        var preview = await app.PreviewAsync(await app.ScenarioOfAsync(customer, closed, current));
        var missed = MissedInPartnerCenter(preview, closed);
        var next = reports.Report(BillingApi.BillingDateOf(current));
        Assert.Equal(missed, BillingApi.Corrections(next).Select(BillingApi.Line));
        Assert.Equal(BillingApi.Charges(preview.Report(BillingApi.BillingDateOf(current))), BillingApi.Charges(next));

        // The reseller's roll-up and the export show the same correction.
        var mine = await ResellerViewAsync(customer, current);
        Assert.Equal(next["total"]!.GetValue<decimal>(), mine["total"]!.GetValue<decimal>());
        Assert.Equal(missed, BillingApi.Corrections(mine).Select(BillingApi.Line));
        var csv = await (await app.Broker().GetAsync($"/api/v1/customers/{customer}/billing/reports/export?from={current}&to={current}&format=csv")).Content.ReadAsStringAsync();
        Assert.Equal(missed.Count, csv.Split('\n').Count(row => row.Contains(",correction,", StringComparison.Ordinal)));
        var browser = new Browser(app);
        await browser.SignInAsync(DemoData.Reseller.Email, DemoData.Reseller.Password);
        var page = await browser.PageAsync($"/billing?org={customer}&range=custom&from={current}&to={current}");
        Assert.Contains($"Correction<span class=\"muted\"> of the {BillingApi.BillingDateOf(closed):yyyy-MM-dd} report</span>", page);
    }

    [Fact]
    public async Task An_unchanged_customers_open_report_equals_the_preview_and_a_price_edit_recorded_a_second_after_the_issue_is_still_corrected()
    {
        var (customer, closed, current) = await BoughtInAClosedCycleAsync(2);
        var issued = (await app.CustomerReportsAsync(customer, closed)).Report(BillingApi.BillingDateOf(closed));
        var issuedAt = await IssuedAtAsync(customer, closed);

        // Nothing recorded since the purchase, 30 days before the issue: the open cycle is rated without reading the issued reports.
        Assert.True(Skyport.Features.Billing.Issuing.Freezing.NothingToCorrect(issuedAt, await LatestChangeAsync(customer)));
        var open = (await app.CustomerReportsAsync(customer, current)).Report(BillingApi.BillingDateOf(current));
        var preview = await app.PreviewAsync(await app.ScenarioOfAsync(customer, closed, current));
        Assert.NotEmpty(BillingApi.LinesOf(open));
        Assert.Equal(BillingApi.LinesOf(preview.Report(BillingApi.BillingDateOf(current))).Select(BillingApi.Line), BillingApi.LinesOf(open).Select(BillingApi.Line));
        Assert.Equal(BillingApi.LinesOf(open).Select(BillingApi.Line), BillingApi.LinesOf(await ResellerViewAsync(customer, current)).Select(BillingApi.Line));

        await WaitUntilAsync(issuedAt.AddSeconds(1));
        await (await app.Broker().PutJsonAsync($"/api/v1/customers/{customer}/price-list", new
        {
            items = new[] { new { offerId = Shop.BusinessBasic, termDuration = "P1M", billingFrequency = "monthly", unitPrice = 1.00m, effectiveFrom = "2000-01-01" } },
        })).ExpectAsync(HttpStatusCode.OK);
        var saved = await app.InScopeAsync(s => s.GetRequiredService<SkyportDbContext>().PriceListSaves.Where(p => p.OrganizationId == customer).Select(p => p.SavedAt).ToListAsync());
        Assert.InRange(saved.Single() - issuedAt, TimeSpan.FromSeconds(1), Skyport.Features.Billing.Issuing.Freezing.UnseenWrites);

        var rerated = (await app.PreviewAsync(await app.ScenarioOfAsync(customer, closed, current))).Report(BillingApi.BillingDateOf(closed));
        var next = (await app.CustomerReportsAsync(customer, current)).Report(BillingApi.BillingDateOf(current));
        var corrections = BillingApi.Corrections(next);
        Assert.Equal(2, corrections.Count);
        Assert.Equal(rerated["total"]!.GetValue<decimal>() - issued["total"]!.GetValue<decimal>(), corrections.Sum(c => c["amount"]!.GetValue<decimal>()));
        Assert.Equal(BillingApi.LinesOf(next).Select(BillingApi.Line), BillingApi.LinesOf(await ResellerViewAsync(customer, current)).Select(BillingApi.Line));
    }

    [Fact]
    public async Task A_subscription_adopted_a_second_after_the_issue_of_an_otherwise_unchanged_customer_is_corrected()
    {
        var (customer, closed, current) = await BoughtInAClosedCycleAsync(1, BoughtInPartnerCenterAsync);
        Assert.Single((await app.CustomerReportsAsync(customer, closed)).Report(BillingApi.BillingDateOf(closed))["subscriptions"]!.AsArray());
        var issuedAt = await IssuedAtAsync(customer, closed);
        Assert.True(Skyport.Features.Billing.Issuing.Freezing.NothingToCorrect(issuedAt, await LatestChangeAsync(customer)));
        Assert.Empty(BillingApi.Corrections(await ResellerViewAsync(customer, current)));

        await WaitUntilAsync(issuedAt.AddSeconds(1));
        Assert.True((await (await app.Broker().PostAsync($"/api/v1/customers/{customer}/o365/subscriptions/reconcile", null)).ExpectAsync(HttpStatusCode.OK))!["events"]!.GetValue<int>() > 0);
        var recorded = await app.InScopeAsync(s => s.GetRequiredService<SkyportDbContext>().SubscriptionEvents.Where(e => e.OrganizationId == customer).Select(e => e.RecordedAt).ToListAsync());
        Assert.InRange(recorded.Max() - issuedAt, TimeSpan.FromSeconds(1), Skyport.Features.Billing.Issuing.Freezing.UnseenWrites);

        var missed = MissedInPartnerCenter(await app.PreviewAsync(await app.ScenarioOfAsync(customer, closed, current)), closed);
        Assert.Equal(missed, BillingApi.Corrections(await ResellerViewAsync(customer, current)).Select(BillingApi.Line));
        Assert.Equal(missed, BillingApi.Corrections((await app.CustomerReportsAsync(customer, current)).Report(BillingApi.BillingDateOf(current))).Select(BillingApi.Line));
    }

    /// <summary>Bought directly in Partner Center: Skyport learns of it at the next reconcile, after the cycle closed.</summary>
    private async Task BoughtInPartnerCenterAsync(Guid customer)
    {
        var tenant = await app.InScopeAsync(async s => (await s.GetRequiredService<SkyportDbContext>().O365Services.SingleAsync(o => o.OrganizationId == customer)).TenantId!.Value);
        await app.InScopeAsync(async s => (await s.GetRequiredService<PartnerCenterClient>().PurchaseAsync(tenant, [new CartLine(Shop.BusinessStandard, 3, "P1M", "monthly")])).Ok);
    }

    /// <summary>The lines the preview rates now for the subscription bought in Partner Center, as the corrections that bill them late.</summary>
    private static List<string> MissedInPartnerCenter(JsonArray preview, string closed)
    {
        var late = preview.Report(BillingApi.BillingDateOf(closed))["subscriptions"]!.AsArray().Single(s => !string.Equals(s!["offerId"]!.GetValue<string>(), Shop.BusinessBasic, StringComparison.OrdinalIgnoreCase))!;
        var missed = late["lines"]!.AsArray().Select(l => BillingApi.Line(l).Replace("proRata", "correction")).ToList();
        Assert.NotEmpty(missed);
        return missed;
    }

    /// <summary>The last time an event of the customer, its price list or the global one was recorded.</summary>
    private Task<DateTimeOffset?> LatestChangeAsync(Guid customer) => app.InScopeAsync(async s =>
    {
        var db = s.GetRequiredService<SkyportDbContext>();
        var events = await db.SubscriptionEvents.Where(e => e.OrganizationId == customer).Select(e => e.RecordedAt).ToListAsync();
        var saves = await db.PriceListSaves.Where(p => p.OrganizationId == null || p.OrganizationId == customer).Select(p => p.SavedAt).ToListAsync();
        return events.Concat(saves).Select(t => (DateTimeOffset?)t).Max();
    });

    private Task<DateTimeOffset> IssuedAtAsync(Guid customer, string month) => app.InScopeAsync(s => s.GetRequiredService<SkyportDbContext>().IssuedReports
        .Where(r => r.OrganizationId == customer && r.BillingDate == BillingApi.BillingDateOf(month)).Select(r => r.IssuedAt).SingleAsync());

    /// <summary>Skyport's clock (the emulator's) runs on from where it was set: wait until it has passed <paramref name="instant"/>.</summary>
    private async Task WaitUntilAsync(DateTimeOffset instant)
    {
        while (await app.InScopeAsync(s => Task.FromResult(s.GetRequiredService<TimeProvider>().GetUtcNow())) < instant)
        {
            await Task.Delay(100);
        }
    }

    /// <summary>The customer's part of its reseller's report of <paramref name="month"/>.</summary>
    private async Task<JsonNode> ResellerViewAsync(Guid customer, string month)
    {
        var fabrikam = await Known.IdOfAsync(app, "Fabrikam IT");
        var rollUp = (await (await app.Broker().GetAsync($"/api/v1/organizations/{fabrikam}/billing/reports?from={month}&to={month}")).ExpectAsync(HttpStatusCode.OK))!["reports"]![0]!;
        return rollUp["customers"]!.AsArray().Single(c => c!["customerId"]!.GetValue<Guid>() == customer)!;
    }

    [Fact]
    public async Task Concurrent_first_reads_of_a_closed_cycle_issue_it_once()
    {
        var (customer, closed, _) = await BoughtInAClosedCycleAsync(4);
        var fabrikam = await Known.IdOfAsync(app, "Fabrikam IT");

        var reads = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            var url = i % 2 == 0 ? $"/api/v1/customers/{customer}/billing/reports?from={closed}" : $"/api/v1/organizations/{fabrikam}/billing/reports?from={closed}";
            return (await (await app.Broker().GetAsync(url)).ExpectAsync(HttpStatusCode.OK))!["reports"]![0]!;
        }));

        var customerViews = reads.Where((_, i) => i % 2 == 0).Select(r => r.ToJsonString()).Distinct().ToList();
        Assert.Single(customerViews);
        Assert.Equal(4, BillingApi.LinesOf(reads[0]).Single()["quantity"]!.GetValue<int>());
        Assert.All(reads.Where((_, i) => i % 2 == 1), r => Assert.Equal(reads[0]["total"]!.GetValue<decimal>(),
            r["customers"]!.AsArray().Single(c => c!["customerId"]!.GetValue<Guid>() == customer)!["total"]!.GetValue<decimal>()));
        var stored = await app.InScopeAsync(s => s.GetRequiredService<SkyportDbContext>().IssuedReports.CountAsync(r => r.OrganizationId == customer && r.BillingDate == BillingApi.BillingDateOf(closed)));
        Assert.Equal(1, stored);
    }

    [Fact]
    public async Task A_closed_cycle_is_issued_at_cycle_close_without_anyone_reading_it()
    {
        var (customer, closed, _) = await BoughtInAClosedCycleAsync(1);
        var billingDate = BillingApi.BillingDateOf(closed);

        var lines = 0;
        for (var attempt = 0; attempt < 50 && lines == 0; attempt++)
        {
            await Task.Delay(100);
            lines = await app.InScopeAsync(async s => (await s.GetRequiredService<SkyportDbContext>().IssuedReports.SingleOrDefaultAsync(r => r.OrganizationId == customer && r.BillingDate == billingDate))?.Lines.Count ?? 0);
        }
        Assert.Equal(1, lines);
    }

    [Fact]
    public async Task A_resellers_cycle_end_day_is_fixed_once_a_report_of_its_customers_is_issued()
    {
        var reseller = await Skyport.Tests.Infrastructure.A.Reseller().CreateAsync(app);
        var billing = $"/api/v1/organizations/{reseller}/billing";
        await (await app.Broker().PutJsonAsync(billing, new { cycleEndDay = 15, currency = "EUR" })).ExpectAsync(HttpStatusCode.OK);
        var customer = await Skyport.Tests.Infrastructure.A.Customer().Under(reseller).CreateAsync(app);
        await app.AddO365Async(customer, "cy" + Guid.NewGuid().ToString("N")[..12]);
        var bought = await _emulator.AdvanceToDayAsync(20);
        await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer}/o365/subscriptions", new { offerId = Shop.BusinessBasic, quantity = 1 })).ExpectAsync(HttpStatusCode.Created);
        // Before any report is issued the day may still move.
        await (await app.Broker().PutJsonAsync(billing, new { cycleEndDay = 14, currency = "EUR" })).ExpectAsync(HttpStatusCode.OK);
        await (await app.Broker().PutJsonAsync(billing, new { cycleEndDay = 15, currency = "EUR" })).ExpectAsync(HttpStatusCode.OK);
        await _emulator.AdvanceClockAsync(30);
        var closed = BillingApi.CycleMonth(bought);
        Assert.NotEmpty(BillingApi.LinesOf((await app.CustomerReportsAsync(customer, closed)).Report(BillingApi.BillingDateOf(closed))));

        var refused = (await (await app.Broker().PutJsonAsync(billing, new { cycleEndDay = 20, currency = "EUR" })).ExpectAsync(HttpStatusCode.BadRequest))!;

        Assert.Equal($"The cycle end day stays 15: reports of this reseller's customers have been issued on it (the last dated {BillingApi.BillingDateOf(closed):yyyy-MM-dd}).",
            refused["errors"]!["cycleEndDay"]![0]!.GetValue<string>());
        await (await app.Broker().PutJsonAsync(billing, new { cycleEndDay = 15, currency = "eur" })).ExpectAsync(HttpStatusCode.OK);
        var organization = (await (await app.Broker().GetAsync($"/api/v1/organizations/{reseller}")).ExpectAsync(HttpStatusCode.OK))!;
        Assert.Equal(15, organization["billing"]!["cycleEndDay"]!.GetValue<int>());
    }
}
