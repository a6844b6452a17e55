using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Billing.Rating;
using Skyport.Features.Subscriptions;
using Skyport.Features.Tenants;
using Skyport.PartnerCenter;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Subscriptions;

public sealed class SubscriptionApiOnSqlite(SqliteSkyport app) : SubscriptionApiTests(app), IClassFixture<SqliteSkyport>;

public sealed class SubscriptionApiOnPostgres(PostgresSkyport app) : SubscriptionApiTests(app), IClassFixture<PostgresSkyport>;

public abstract class SubscriptionApiTests(SkyportApp app) : IAsyncLifetime
{
    private readonly EmulatorControl _emulator = new(app);

    public Task InitializeAsync() => Shop.ImportCatalogAsync(app);

    public Task DisposeAsync() => _emulator.ClearFaultsAsync();

    private static string Url(Guid customer, string rest = "") => $"/api/v1/customers/{customer}/o365/subscriptions{rest}";

    private async Task<JsonNode> BuyAsync(Guid customer, int quantity = 3, string offerId = Shop.BusinessBasic) =>
        (await (await app.Broker().PostJsonAsync(Url(customer), new { offerId, quantity, friendlyName = "Office staff", purchaseOrderNumber = "PO-1" })).ExpectAsync(HttpStatusCode.Created))!;

    private async Task<JsonNode> PartnerCenterSubscriptionAsync(Guid subscriptionId) =>
        (await _emulator.SubscriptionsAsync()).Single(s => s["id"]!.GetValue<Guid>() == subscriptionId);

    private Task<Guid> TenantOfAsync(Guid customer) =>
        app.InScopeAsync(async s => (await s.GetRequiredService<SkyportDbContext>().O365Services.SingleAsync(o => o.OrganizationId == customer)).TenantId!.Value);

    [Fact]
    public async Task Buying_places_the_order_in_Partner_Center_and_lists_the_subscription_with_its_price_and_renewal_date()
    {
        var customer = await Shop.CustomerWithO365Async(app);
        var bought = await BuyAsync(customer);
        var id = bought["id"]!.GetValue<Guid>();

        var pc = await PartnerCenterSubscriptionAsync(id);
        Assert.Equal(3, pc["quantity"]!.GetValue<int>());
        Assert.Equal(Shop.BusinessBasic, pc["offerId"]!.GetValue<string>(), StringComparer.OrdinalIgnoreCase);

        var list = (await (await app.Broker().GetAsync(Url(customer))).ExpectAsync(HttpStatusCode.OK))!;
        Assert.Equal(1, list["total"]!.GetValue<int>());
        var item = list["items"]![0]!;
        Assert.Equal(id, item["id"]!.GetValue<Guid>());
        Assert.Equal("Microsoft 365 Business Basic", item["name"]!.GetValue<string>());
        Assert.Equal("Office staff", item["friendlyName"]!.GetValue<string>());
        Assert.Equal("PO-1", item["purchaseOrderNumber"]!.GetValue<string>());
        Assert.Equal(3, item["quantity"]!.GetValue<int>());
        Assert.Equal(0, item["consumedQuantity"]!.GetValue<int>());
        Assert.Equal("active", item["status"]!.GetValue<string>());
        Assert.True(item["autoRenew"]!.GetValue<bool>());
        Assert.Equal("P1M", item["termDuration"]!.GetValue<string>());
        Assert.Equal("monthly", item["billingFrequency"]!.GetValue<string>());
        Assert.Equal("global", item["priceSource"]!.GetValue<string>());
        var unit = item["unitPrice"]!.GetValue<decimal>();
        Assert.Equal(unit * 3, item["monthlyCost"]!.GetValue<decimal>());
        var start = DateOnly.Parse(item["startDate"]!.GetValue<string>());
        Assert.Equal(Terms.End(start, TermDuration.P1M, 0), DateOnly.Parse(item["renewalDate"]!.GetValue<string>()));

        var history = (await (await app.Broker().GetAsync(Url(customer, $"/{id}/events"))).ExpectAsync(HttpStatusCode.OK))!.AsArray();
        var purchase = Assert.Single(history)!;
        Assert.Equal("purchase", purchase["kind"]!.GetValue<string>());
        Assert.Equal(0, purchase["quantityBefore"]!.GetValue<int>());
        Assert.Equal(3, purchase["quantityAfter"]!.GetValue<int>());
        Assert.Equal("skyport", purchase["side"]!.GetValue<string>());
        Assert.Equal(unit, purchase["unitPrice"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Stored_events_are_rated_by_the_billing_engine_as_they_are()
    {
        var customer = await Shop.CustomerWithO365Async(app);
        var id = (await BuyAsync(customer, 2))["id"]!.GetValue<Guid>();
        await (await app.Broker().PatchAsync(Url(customer, $"/{id}"), JsonContent(new { quantity = 5 }))).ExpectAsync(HttpStatusCode.OK);

        var (subscription, events) = await app.InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<SkyportDbContext>();
            return (await db.O365Subscriptions.SingleAsync(x => x.Id == id), await db.SubscriptionEvents.Where(e => e.SubscriptionId == id).ToListAsync());
        });
        var ratingEvents = events.OrderBy(e => e.At).Select(e => e.ToRatingEvent()).OfType<SubscriptionEvent>().ToList();
        Assert.Equal([SubscriptionEventType.Purchase, SubscriptionEventType.ChangeQuantity], ratingEvents.Select(e => e.Type));
        var month = BillingMonth.Of(Utc.DateOf(ratingEvents[0].At));
        var result = RatingEngine.Rate(new RatingInput(15, "EUR",
            PriceLists.GlobalOnly(new PriceEntry(subscription.OfferId, TermDuration.P1M, BillingFrequency.Monthly, subscription.UnitPrice, new DateOnly(2000, 1, 1))),
            [subscription.ToPlan(true)], ratingEvents, month, month.AddMonths(1)));
        Assert.Empty(result.Rejected);
        var lines = result.Reports.SelectMany(r => r.Subscriptions).Where(c => c.SubscriptionId == id.ToString()).SelectMany(c => c.Lines).ToList();
        Assert.Contains(lines, l => l.Quantity == 2);
        Assert.Contains(lines, l => l.Quantity == 3);
        Assert.Equal("purchase", events.Single(e => e.Kind == SubscriptionEventKind.Purchase).ToPreviewEvent()!.Type);
    }

    [Fact]
    public async Task A_retried_create_with_the_same_idempotency_key_buys_once()
    {
        var customer = await Shop.CustomerWithO365Async(app);
        var key = Guid.NewGuid().ToString();
        var ids = new List<Guid>();
        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Url(customer)) { Content = JsonContent(new { offerId = Shop.BusinessBasic, quantity = 1 }) };
            request.Headers.Add("Idempotency-Key", key);
            ids.Add((await (await app.Broker().SendAsync(request)).ExpectAsync(HttpStatusCode.Created))!["id"]!.GetValue<Guid>());
        }
        Assert.Equal(ids[0], ids[1]);
        var tenant = await TenantOfAsync(customer);
        Assert.Single(await _emulator.SubscriptionsAsync(), s => s["tenantId"]!.GetValue<Guid>() == tenant);
        Assert.Equal(1, (await (await app.Broker().GetAsync(Url(customer))).ExpectAsync(HttpStatusCode.OK))!["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Buying_is_refused_without_a_price_without_the_service_and_with_bad_fields()
    {
        var customer = await Shop.CustomerWithO365Async(app);
        var broker = app.Broker();
        // Price only the P1Y annual term for this customer and ask for a monthly term that the global list does not have.
        var global = (await (await broker.GetAsync("/api/v1/price-lists/global")).ExpectAsync(HttpStatusCode.OK))!["items"]!.AsArray();
        static object Item(JsonNode? i) => new
        {
            offerId = i!["offerId"]!.GetValue<string>(),
            termDuration = i["termDuration"]!.GetValue<string>(),
            billingFrequency = i["billingFrequency"]!.GetValue<string>(),
            unitPrice = i["unitPrice"]!.GetValue<decimal>(),
            effectiveFrom = i["effectiveFrom"]!.GetValue<string>(),
        };
        var withoutPowerBi = global.Where(i => !i!["name"]!.GetValue<string>().Contains("Power BI")).Select(Item).ToArray();
        var powerBi = global.First(i => i!["name"]!.GetValue<string>().Contains("Power BI"))!["offerId"]!.GetValue<string>();
        await (await broker.PutJsonAsync("/api/v1/price-lists/global", new { items = withoutPowerBi })).ExpectAsync(HttpStatusCode.OK);
        try
        {
            var refused = await (await broker.PostJsonAsync(Url(customer), new { offerId = powerBi, quantity = 1 })).ExpectAsync(HttpStatusCode.UnprocessableEntity);
            Assert.Contains("has no price for this customer", refused!["detail"]!.GetValue<string>());
        }
        finally
        {
            var restored = global.Select(Item).ToArray();
            await (await broker.PutJsonAsync("/api/v1/price-lists/global", new { items = restored })).ExpectAsync(HttpStatusCode.OK);
        }
        Assert.Equal(0, (await (await broker.GetAsync(Url(customer))).ExpectAsync(HttpStatusCode.OK))!["total"]!.GetValue<int>());

        var withoutService = await A.Customer().CreateAsync(app);
        var noService = await (await broker.PostJsonAsync(Url(withoutService), new { offerId = Shop.BusinessBasic, quantity = 1 })).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("no active O365 CSP Direct service", noService!["detail"]!.GetValue<string>());

        var bad = await (await broker.PostJsonAsync(Url(customer), new { offerId = "", quantity = 10001 })).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["offerId", "quantity"], bad!["errors"]!.AsObject().Select(e => e.Key).Order());
        var addOn = await (await broker.PostJsonAsync(Url(customer), new { offerId = Shop.ExchangeArchiving, quantity = 1 })).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("Manage add-ons", addOn!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Quantity_changes_apply_in_Partner_Center_and_a_reduction_outside_the_window_is_refused_with_its_end()
    {
        var customer = await Shop.CustomerWithO365Async(app);
        var id = (await BuyAsync(customer, 3))["id"]!.GetValue<Guid>();
        var broker = app.Broker();

        var up = await (await broker.PatchAsync(Url(customer, $"/{id}"), JsonContent(new { quantity = 6 }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(6, up!["quantity"]!.GetValue<int>());
        Assert.Equal(6, (await PartnerCenterSubscriptionAsync(id))["quantity"]!.GetValue<int>());
        var down = await (await broker.PatchAsync(Url(customer, $"/{id}"), JsonContent(new { quantity = 4 }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(4, down!["quantity"]!.GetValue<int>());

        await _emulator.AdvanceClockAsync(8);
        var refused = await (await broker.PatchAsync(Url(customer, $"/{id}"), JsonContent(new { quantity = 2 }))).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("168 hours", refused!["detail"]!.GetValue<string>());
        Assert.NotNull(refused["windowClosedAt"]);
        Assert.Equal(4, (await PartnerCenterSubscriptionAsync(id))["quantity"]!.GetValue<int>());
        Assert.Equal(4, (await (await broker.GetAsync(Url(customer, $"/{id}"))).ExpectAsync(HttpStatusCode.OK))!["quantity"]!.GetValue<int>());

        var history = (await (await broker.GetAsync(Url(customer, $"/{id}/events"))).ExpectAsync(HttpStatusCode.OK))!.AsArray();
        Assert.Equal(["purchase:0>3", "changeQuantity:3>6", "changeQuantity:6>4"],
            history.Select(e => $"{e!["kind"]}:{e["quantityBefore"]}>{e["quantityAfter"]}"));
    }

    [Fact]
    public async Task A_reduction_below_the_assigned_licenses_says_how_many_to_unassign()
    {
        var customer = await Shop.CustomerWithO365Async(app);
        var id = (await BuyAsync(customer, 3))["id"]!.GetValue<Guid>();
        var tenant = await TenantOfAsync(customer);
        await app.InScopeAsync(async s =>
        {
            var pc = s.GetRequiredService<PartnerCenterClient>();
            var domain = (await s.GetRequiredService<SkyportDbContext>().O365Services.SingleAsync(o => o.OrganizationId == customer)).Domain;
            var graphSku = (await pc.GetSkusAsync("CFQ7TTC0LH18")).Ok.Single().DynamicAttributes!.ProvisioningId!.Value;
            for (var i = 0; i < 2; i++)
            {
                var user = (await pc.CreateUserAsync(tenant, new NewCustomerUser($"user{i}@{domain}", $"User {i}", "User", $"{i}", "DE", new PasswordProfile("Str0ng!Passw0rd-" + i)))).Ok;
                (await pc.UpdateLicensesAsync(tenant, user.Id, [graphSku], [])).Ok.ToString();
            }
            return 0;
        });
        Assert.Equal(2, (await (await app.Broker().GetAsync(Url(customer, $"/{id}"))).ExpectAsync(HttpStatusCode.OK))!["consumedQuantity"]!.GetValue<int>());

        var refused = await (await app.Broker().PatchAsync(Url(customer, $"/{id}"), JsonContent(new { quantity = 1 }))).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("2 licenses assigned", refused!["detail"]!.GetValue<string>());
        Assert.Equal(1, refused["licensesToUnassign"]!.GetValue<int>());
        Assert.Equal(3, (await PartnerCenterSubscriptionAsync(id))["quantity"]!.GetValue<int>());
    }

    [Fact]
    public async Task Suspending_keeps_billing_turns_auto_renew_off_and_blocks_quantity_changes_until_activated()
    {
        var customer = await Shop.CustomerWithO365Async(app);
        var id = (await BuyAsync(customer, 2))["id"]!.GetValue<Guid>();
        var broker = app.Broker();

        var suspended = await (await broker.PatchAsync(Url(customer, $"/{id}"), JsonContent(new { status = "suspended" }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("suspended", suspended!["status"]!.GetValue<string>());
        Assert.False(suspended["autoRenew"]!.GetValue<bool>());
        Assert.Equal("suspended", (await PartnerCenterSubscriptionAsync(id))["status"]!.GetValue<string>());

        var blocked = await (await broker.PatchAsync(Url(customer, $"/{id}"), JsonContent(new { quantity = 3 }))).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("suspended", blocked!["detail"]!.GetValue<string>());
        await (await broker.PatchAsync(Url(customer, $"/{id}"), JsonContent(new { autoRenew = true }))).ExpectAsync(HttpStatusCode.UnprocessableEntity);

        var active = await (await broker.PatchAsync(Url(customer, $"/{id}"), JsonContent(new { status = "active", autoRenew = true, friendlyName = "Back office" }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("active", active!["status"]!.GetValue<string>());
        Assert.True(active["autoRenew"]!.GetValue<bool>());
        Assert.Equal("Back office", active["friendlyName"]!.GetValue<string>());
        var pc = await PartnerCenterSubscriptionAsync(id);
        Assert.Equal("active", pc["status"]!.GetValue<string>());
        Assert.True(pc["autoRenewEnabled"]!.GetValue<bool>());

        var kinds = (await (await broker.GetAsync(Url(customer, $"/{id}/events"))).ExpectAsync(HttpStatusCode.OK))!.AsArray().Select(e => e!["kind"]!.GetValue<string>());
        Assert.Equal(["purchase", "suspend", "activate", "setAutoRenew"], kinds);
        var bad = await (await broker.PatchAsync(Url(customer, $"/{id}"), JsonContent(new { status = "deleted" }))).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("status", bad!["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task Two_concurrent_quantity_changes_one_succeeds_the_other_gets_409_and_both_sides_agree()
    {
        var customer = await Shop.CustomerWithO365Async(app);
        var id = (await BuyAsync(customer, 2))["id"]!.GetValue<Guid>();
        await _emulator.InjectAsync(new { method = "PATCH", pathPattern = "/v1/customers/*/subscriptions/*", kind = "delay", delayMs = 1500, rate = 1.0 });

        var first = app.Broker().PatchAsync(Url(customer, $"/{id}"), JsonContent(new { quantity = 5 }));
        await Task.Delay(300);
        var second = app.Broker().PatchAsync(Url(customer, $"/{id}"), JsonContent(new { quantity = 7 }));
        var statuses = (await Task.WhenAll(first, second)).Select(r => r.StatusCode).ToList();
        await _emulator.ClearFaultsAsync();

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], statuses);
        var pcQuantity = (await PartnerCenterSubscriptionAsync(id))["quantity"]!.GetValue<int>();
        Assert.Equal(5, pcQuantity);
        Assert.Equal(pcQuantity, (await (await app.Broker().GetAsync(Url(customer, $"/{id}"))).ExpectAsync(HttpStatusCode.OK))!["quantity"]!.GetValue<int>());
        // The subscription is free again afterwards.
        await (await app.Broker().PatchAsync(Url(customer, $"/{id}"), JsonContent(new { quantity = 6 }))).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Partner_Center_failures_leave_Skyport_showing_what_Partner_Center_has()
    {
        var customer = await Shop.CustomerWithO365Async(app);
        var id = (await BuyAsync(customer, 2))["id"]!.GetValue<Guid>();
        await _emulator.InjectAsync(new { method = "PATCH", pathPattern = "/v1/customers/*/subscriptions/*", kind = "error", status = 503, rate = 1.0, retryAfterSeconds = 0 });
        await (await app.Broker().PatchAsync(Url(customer, $"/{id}"), JsonContent(new { quantity = 9 }))).ExpectAsync(HttpStatusCode.ServiceUnavailable);
        await _emulator.ClearFaultsAsync();
        Assert.Equal(2, (await PartnerCenterSubscriptionAsync(id))["quantity"]!.GetValue<int>());
        Assert.Equal(2, (await (await app.Broker().GetAsync(Url(customer, $"/{id}"))).ExpectAsync(HttpStatusCode.OK))!["quantity"]!.GetValue<int>());

        await _emulator.InjectAsync(new { method = "POST", pathPattern = "/v1/customers/*/carts*", kind = "error", status = 503, rate = 1.0, retryAfterSeconds = 0 });
        await (await app.Broker().PostJsonAsync(Url(customer), new { offerId = Shop.BusinessBasic, quantity = 1 })).ExpectAsync(HttpStatusCode.ServiceUnavailable);
        await _emulator.ClearFaultsAsync();
        Assert.Equal(1, (await (await app.Broker().GetAsync(Url(customer))).ExpectAsync(HttpStatusCode.OK))!["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Add_ons_that_fit_a_base_are_listed_bought_and_shown_under_it()
    {
        var customer = await Shop.CustomerWithO365Async(app);
        var baseId = (await BuyAsync(customer, 2))["id"]!.GetValue<Guid>();
        var broker = app.Broker();

        var eligible = (await (await broker.GetAsync(Url(customer, $"/{baseId}/addons"))).ExpectAsync(HttpStatusCode.OK))!.AsArray();
        Assert.Contains(eligible, o => o!["offerId"]!.GetValue<string>() == Shop.ExchangeArchiving);
        Assert.All(eligible, o => Assert.True(o!["isAddOn"]!.GetValue<bool>()));

        var addOn = await (await broker.PostJsonAsync(Url(customer, $"/{baseId}/addons"), new { offerId = Shop.ExchangeArchiving, quantity = 2 })).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(baseId, addOn!["parentSubscriptionId"]!.GetValue<Guid>());
        Assert.Equal(baseId, (await PartnerCenterSubscriptionAsync(addOn["id"]!.GetValue<Guid>()))["parentSubscriptionId"]!.GetValue<Guid>());

        var other = await BuyAsync(customer, 1, Shop.BusinessStandard);
        var list = (await (await broker.GetAsync(Url(customer))).ExpectAsync(HttpStatusCode.OK))!["items"]!.AsArray();
        Assert.Equal([baseId, addOn["id"]!.GetValue<Guid>(), other["id"]!.GetValue<Guid>()], list.Select(s => s!["id"]!.GetValue<Guid>()));

        var notFitting = await (await broker.PostJsonAsync(Url(customer, $"/{baseId}/addons"), new { offerId = Shop.BusinessStandard, quantity = 1 })).ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("is not an add-on of", notFitting!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Changes_made_directly_in_Partner_Center_arrive_by_webhook_as_partner_center_events()
    {
        await using var receiver = await (await WebhookReceiver.StartAsync()).RegisterWithEmulatorAsync(app);
        var customer = await Shop.CustomerWithO365Async(app);
        var id = (await BuyAsync(customer, 2))["id"]!.GetValue<Guid>();
        var tenant = await TenantOfAsync(customer);
        var direct = await app.InScopeAsync(async s =>
        {
            var pc = s.GetRequiredService<PartnerCenterClient>();
            (await pc.UpdateSubscriptionAsync(tenant, id, new SubscriptionChange(Quantity: 4))).Ok.ToString();
            return (await pc.PurchaseAsync(tenant, [new CartLine(Shop.BusinessStandard, 1, "P1M", "monthly")])).Ok[0];
        });

        // Partner Center's own delivery (signed by the emulator), handed to Skyport as it was sent.
        var delivery = await receiver.DeliveryAsync($"/customers/{tenant}/subscriptions/{direct}");
        await (await app.Anonymous().SendAsync(delivery.ToSkyport())).ExpectAsync(HttpStatusCode.OK);

        JsonNode? list = null;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            list = (await (await app.Broker().GetAsync(Url(customer))).ExpectAsync(HttpStatusCode.OK))!;
            if (list["total"]!.GetValue<int>() == 2 && list["items"]![0]!["quantity"]!.GetValue<int>() == 4) break;
            await Task.Delay(100);
        }
        Assert.Equal(2, list!["total"]!.GetValue<int>());
        Assert.Equal(4, list["items"]![0]!["quantity"]!.GetValue<int>());
        Assert.Contains(list["items"]!.AsArray(), s => s!["id"]!.GetValue<Guid>() == direct);

        var history = (await (await app.Broker().GetAsync(Url(customer, $"/{id}/events"))).ExpectAsync(HttpStatusCode.OK))!.AsArray();
        var change = history.Last()!;
        Assert.Equal("changeQuantity", change["kind"]!.GetValue<string>());
        Assert.Equal("partnerCenter", change["side"]!.GetValue<string>());
        Assert.Equal(2, change["quantityBefore"]!.GetValue<int>());
        Assert.Equal(4, change["quantityAfter"]!.GetValue<int>());

        // The scheduled reconcile (here on demand) finds nothing more to do.
        Assert.Equal(0, (await (await app.Broker().PostAsync(Url(customer, "/reconcile"), null)).ExpectAsync(HttpStatusCode.OK))!["events"]!.GetValue<int>());
    }

    [Fact]
    public async Task Several_changes_found_in_one_reconcile_are_stored_in_the_order_they_apply()
    {
        var customer = await Shop.CustomerWithO365Async(app);
        var id = (await BuyAsync(customer, 2))["id"]!.GetValue<Guid>();
        await (await app.Broker().PatchAsync(Url(customer, $"/{id}"), JsonContent(new { status = "suspended" }))).ExpectAsync(HttpStatusCode.OK);
        var tenant = await TenantOfAsync(customer);
        await app.InScopeAsync(async s =>
        {
            var pc = s.GetRequiredService<PartnerCenterClient>();
            Assert.True((await pc.UpdateSubscriptionAsync(tenant, id, new SubscriptionChange(Status: "active"))).IsSuccess);
            Assert.True((await pc.UpdateSubscriptionAsync(tenant, id, new SubscriptionChange(Quantity: 5))).IsSuccess);
            return true;
        });

        await (await app.Broker().PostAsync(Url(customer, "/reconcile"), null)).ExpectAsync(HttpStatusCode.OK);

        // Activated before the quantity changed (a suspended subscription's quantity cannot change), each at its own instant.
        var history = (await (await app.Broker().GetAsync(Url(customer, $"/{id}/events"))).ExpectAsync(HttpStatusCode.OK))!.AsArray();
        var found = history.SkipWhile(e => e!["kind"]!.GetValue<string>() != "suspend").Skip(1).ToList();
        Assert.True(found.Take(2).Select(e => e!["kind"]!.GetValue<string>()).SequenceEqual(["activate", "changeQuantity"]), history.ToJsonString());
        var instants = found.Select(e => e!["at"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.Equal(instants.Order(), instants);
        Assert.Equal(instants.Count, instants.Distinct().Count());
    }

    [Fact]
    public async Task A_renewal_in_Partner_Center_locks_the_price_in_force_at_the_renewal_date()
    {
        var customer = await Shop.CustomerWithO365Async(app);
        var broker = app.Broker();
        var today = DateOnly.Parse((await _emulator.StateAsync())["now"]!.GetValue<string>()[..10]);
        await (await broker.PutJsonAsync($"/api/v1/customers/{customer}/price-list", new
        {
            items = new[]
            {
                new { offerId = Shop.BusinessBasic, termDuration = "P1M", billingFrequency = "monthly", unitPrice = 5.00m, effectiveFrom = "2000-01-01" },
                new { offerId = Shop.BusinessBasic, termDuration = "P1M", billingFrequency = "monthly", unitPrice = 6.00m, effectiveFrom = today.AddDays(10).ToString("yyyy-MM-dd") },
            },
        })).ExpectAsync(HttpStatusCode.OK);
        var bought = await BuyAsync(customer, 2);
        var id = bought["id"]!.GetValue<Guid>();
        Assert.Equal(5.00m, bought["unitPrice"]!.GetValue<decimal>());
        Assert.Equal("customer", bought["priceSource"]!.GetValue<string>());

        await _emulator.AdvanceClockAsync(15);
        Assert.Equal(5.00m, (await (await broker.GetAsync(Url(customer, $"/{id}"))).ExpectAsync(HttpStatusCode.OK))!["unitPrice"]!.GetValue<decimal>());

        await _emulator.AdvanceClockAsync(20);
        await (await broker.PostAsync(Url(customer, "/reconcile"), null)).ExpectAsync(HttpStatusCode.OK);
        var renewed = (await (await broker.GetAsync(Url(customer, $"/{id}"))).ExpectAsync(HttpStatusCode.OK))!;
        Assert.Equal(6.00m, renewed["unitPrice"]!.GetValue<decimal>());
        Assert.True(DateOnly.Parse(renewed["renewalDate"]!.GetValue<string>()) > today.AddDays(35));
        var renewal = (await (await broker.GetAsync(Url(customer, $"/{id}/events"))).ExpectAsync(HttpStatusCode.OK))!.AsArray().Last()!;
        Assert.Equal("renew", renewal["kind"]!.GetValue<string>());
        Assert.Equal("partnerCenter", renewal["side"]!.GetValue<string>());
        Assert.Equal(6.00m, renewal["unitPrice"]!.GetValue<decimal>());
        Assert.Equal(0, (await (await broker.PostAsync(Url(customer, "/reconcile"), null)).ExpectAsync(HttpStatusCode.OK))!["events"]!.GetValue<int>());
    }

    [Fact]
    public async Task Another_resellers_administrator_gets_404()
    {
        var customer = await Shop.CustomerWithO365Async(app);
        var id = (await BuyAsync(customer, 1))["id"]!.GetValue<Guid>();
        var otherReseller = await A.Reseller().WithAdministrator($"admin-{Guid.NewGuid():N}@other.example").CreateAsync(app);
        _ = otherReseller;
        var northwindAdmin = await app.As(DemoData.Customer.Email);
        await (await northwindAdmin.GetAsync(Url(customer))).ExpectAsync(HttpStatusCode.NotFound);
        await (await northwindAdmin.PatchAsync(Url(customer, $"/{id}"), JsonContent(new { quantity = 2 }))).ExpectAsync(HttpStatusCode.NotFound);
        await (await northwindAdmin.GetAsync($"/api/v1/customers/{customer}/o365/catalog")).ExpectAsync(HttpStatusCode.NotFound);
        var reseller = await app.As(DemoData.Reseller.Email);
        await (await reseller.GetAsync(Url(customer))).ExpectAsync(HttpStatusCode.OK);
    }

    private static StringContent JsonContent(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body, Json.Options), Encoding.UTF8, "application/json");
}
