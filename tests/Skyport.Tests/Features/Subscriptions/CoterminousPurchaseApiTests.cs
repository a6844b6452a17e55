using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Billing.Rating;
using Skyport.Features.Subscriptions;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Subscriptions;

public sealed class CoterminousPurchaseApiOnSqlite(SqliteSkyport app) : CoterminousPurchaseApiTests(app), IClassFixture<SqliteSkyport>;

public sealed class CoterminousPurchaseApiOnPostgres(PostgresSkyport app) : CoterminousPurchaseApiTests(app), IClassFixture<PostgresSkyport>;

/// <summary>R13 through the API: a purchase whose first term ends with another subscription's, or a date that aligns with nothing.</summary>
public abstract class CoterminousPurchaseApiTests(SkyportApp app) : IAsyncLifetime
{
    private readonly EmulatorControl _emulator = new(app);

    public Task InitializeAsync() => Shop.ImportCatalogAsync(app);

    public Task DisposeAsync() => _emulator.ClearFaultsAsync();

    private static string Url(Guid customer, string rest = "") => $"/api/v1/customers/{customer}/o365/subscriptions{rest}";

    private async Task<JsonNode> BuyAsync(Guid customer, object body) =>
        (await (await app.Broker().PostJsonAsync(Url(customer), body)).ExpectAsync(HttpStatusCode.Created))!;

    [Fact]
    public async Task A_purchase_aligned_with_another_subscription_ends_its_first_term_with_it_and_billing_rates_the_short_term()
    {
        var customer = await Shop.CustomerWithO365Async(app);
        var monthly = await BuyAsync(customer, new { offerId = Shop.BusinessBasic, quantity = 2 });
        var alignWith = DateOnly.Parse(monthly["renewalDate"]!.GetValue<string>());
        var today = DateOnly.Parse(monthly["startDate"]!.GetValue<string>());

        var choices = (await (await app.Broker().GetAsync(Url(customer, "/term-end-dates?termDuration=P1Y"))).ExpectAsync(HttpStatusCode.OK))!.AsArray();
        var aligned = choices.Single(c => c!["date"]!.GetValue<string>() == alignWith.ToString("yyyy-MM-dd"))!;
        Assert.Equal(monthly["id"]!.GetValue<Guid>(), aligned["alignedWith"]![0]!["id"]!.GetValue<Guid>());
        Assert.Contains(choices, c => c!["monthEnd"]!.GetValue<bool>());

        var bought = await BuyAsync(customer, new
        {
            offerId = Shop.BusinessBasic, quantity = 3, termDuration = "P1Y", billingFrequency = "annual", customTermEndDate = alignWith.ToString("yyyy-MM-dd"),
        });
        var id = bought["id"]!.GetValue<Guid>();
        Assert.Equal(alignWith, DateOnly.Parse(bought["renewalDate"]!.GetValue<string>()));
        var pc = (await _emulator.SubscriptionsAsync()).Single(s => s["id"]!.GetValue<Guid>() == id);
        Assert.Equal(alignWith, DateOnly.FromDateTime(pc["commitmentEndDate"]!.GetValue<DateTime>()));

        // Stored billing rates the first term as R13 does: one proRata up to the custom end, not the whole year.
        var (subscription, events) = await app.InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<SkyportDbContext>();
            return (await db.O365Subscriptions.SingleAsync(x => x.Id == id), await db.SubscriptionEvents.Where(e => e.OrganizationId == customer).ToListAsync());
        });
        var purchase = events.Single(e => e.SubscriptionId == id).ToRatingEvent()!;
        Assert.Equal(alignWith, purchase.CustomTermEndDate);
        var month = BillingMonth.Of(today);
        var rated = RatingEngine.Rate(new RatingInput(15, "EUR",
            PriceLists.GlobalOnly(
                new PriceEntry(subscription.OfferId, TermDuration.P1M, BillingFrequency.Monthly, 6m, new DateOnly(2000, 1, 1)),
                new PriceEntry(subscription.OfferId, TermDuration.P1Y, BillingFrequency.Annual, subscription.UnitPrice, new DateOnly(2000, 1, 1))),
            [.. (await app.InScopeAsync(s => s.GetRequiredService<SkyportDbContext>().O365Subscriptions.Where(x => x.OrganizationId == customer).ToListAsync())).Select(x => x.ToPlan(true))],
            [.. events.OrderBy(e => e.At).Select(e => e.ToRatingEvent()).OfType<SubscriptionEvent>()], month, month));
        Assert.Empty(rated.Rejected);
        var firstTerm = rated.Reports.SelectMany(r => r.Subscriptions).Where(c => c.SubscriptionId == id.ToString()).SelectMany(c => c.Lines).Sum(l => l.Amount);
        Assert.Equal(ChangeQuotes.CoterminousFirstTerm(3, subscription.UnitPrice, today, alignWith, TermDuration.P1Y, BillingFrequency.Annual, 15), firstTerm);
        Assert.True(firstTerm < 3 * subscription.UnitPrice);
    }

    [Fact]
    public async Task A_custom_end_date_that_aligns_with_nothing_is_refused_naming_the_field_and_nothing_is_bought()
    {
        var customer = await Shop.CustomerWithO365Async(app);
        var first = await BuyAsync(customer, new { offerId = Shop.BusinessBasic, quantity = 1 });
        var today = DateOnly.Parse(first["startDate"]!.GetValue<string>());
        var before = (await _emulator.SubscriptionsAsync()).Count;
        // A day that is neither a month end nor the other subscription's term end.
        var nothing = Enumerable.Range(1, 20).Select(today.AddDays).First(d => d.AddDays(1).Day != 1 && d != DateOnly.Parse(first["renewalDate"]!.GetValue<string>()));

        foreach (var date in new[] { nothing.ToString("yyyy-MM-dd"), "31/12/2026", today.AddYears(2).ToString("yyyy-MM-dd") })
        {
            var refused = await (await app.Broker().PostJsonAsync(Url(customer), new
            {
                offerId = Shop.BusinessBasic, quantity = 1, termDuration = "P1Y", billingFrequency = "monthly", customTermEndDate = date,
            })).ExpectAsync(HttpStatusCode.BadRequest);
            Assert.Equal(["customTermEndDate"], refused!["errors"]!.AsObject().Select(e => e.Key));
        }
        Assert.Equal(before, (await _emulator.SubscriptionsAsync()).Count);
        Assert.Equal(1, (await (await app.Broker().GetAsync(Url(customer))).ExpectAsync(HttpStatusCode.OK))!["total"]!.GetValue<int>());
        Assert.Equal(0, await app.InScopeAsync(s => s.GetRequiredService<SkyportDbContext>().PurchaseIntents.CountAsync(p => p.OrganizationId == customer && p.CustomTermEndDate != null)));

        var badTerm = await (await app.Broker().GetAsync(Url(customer, "/term-end-dates?termDuration=P3M"))).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(badTerm!["errors"]!["termDuration"]);
    }
}
