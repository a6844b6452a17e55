using System.Net;
using System.Text.Json;

namespace Skyport.Emulator.Tests;

/// <summary>An emulator whose clock starts after 4 May 2026, so that terms ending with auto-renew off enter the extended service term.</summary>
public sealed class SubscriptionLifeFixture : EmulatorFixture
{
    public static readonly DateTimeOffset LifeStart = new(2026, 6, 1, 9, 0, 0, TimeSpan.Zero);

    protected override Skyport.PartnerCenterEmulator.EmulatorOptions Options => base.Options with { InitialClock = LifeStart };
}

/// <summary>
/// The new-commerce life of a subscription over HTTP with the emulator's clock: changes scheduled at renewal,
/// upgrades, the extended service term and co-termed purchases.
/// </summary>
public sealed class SubscriptionLifeTests(SubscriptionLifeFixture emulator) : IClassFixture<SubscriptionLifeFixture>
{
    private const string BusinessStandard = "CFQ7TTC0LDPB:0001:CFQ7TTC0LGNT";
    private static readonly Guid BusinessPremiumSku = Guid.Parse("cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46");

    private static object Schedule(string catalogItemId, int quantity, string? customTermEndDate = null) =>
        new { scheduledNextTermInstructions = Instructions(catalogItemId, quantity, customTermEndDate) };

    private static object Instructions(string catalogItemId, int quantity, string? customTermEndDate = null)
    {
        var parts = catalogItemId.Split(':');
        return new
        {
            product = new { productId = parts[0], skuId = parts[1], availabilityId = parts[2], billingCycle = "Monthly", termDuration = "P1Y" },
            quantity,
            customTermEndDate,
        };
    }

    [Fact]
    public async Task A_change_scheduled_at_renewal_is_validated_shown_applied_at_the_renewal_and_deleted_by_an_immediate_change()
    {
        var (customerId, _, _) = await emulator.CreateCustomerAsync("schedule");
        var id = await emulator.BuyAsync(customerId, Catalog.BusinessBasic, 5);
        var path = $"/v1/customers/{customerId}/subscriptions/{id}";
        var (_, bought) = await emulator.GetAsync(path);
        Assert.Equal(JsonValueKind.Null, bought.GetProperty("scheduledNextTermInstructions").ValueKind);
        var termEnd = bought.GetProperty("commitmentEndDate").GetDateTime().Date;

        var (autoRenewOff, autoRenewOffBody) = await emulator.PatchAsync(path, new { autoRenewEnabled = false, scheduledNextTermInstructions = Instructions(BusinessStandard, 3) });
        Assert.Equal(HttpStatusCode.BadRequest, autoRenewOff.StatusCode);
        Assert.Contains("scheduledNextTermInstructions", autoRenewOffBody.GetProperty("data").EnumerateArray().Select(d => d.GetString()));
        var (unknown, unknownBody) = await emulator.PatchAsync(path, Schedule("NOPE:0001:X", 3));
        Assert.Equal(800004, unknownBody.GetProperty("code").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var (tooMany, tooManyBody) = await emulator.PatchAsync(path, Schedule(BusinessStandard, 301));
        Assert.Equal(HttpStatusCode.Forbidden, tooMany.StatusCode);
        Assert.Equal(800067, tooManyBody.GetProperty("code").GetInt32());
        var (misaligned, misalignedBody) = await emulator.PatchAsync(path, Schedule(BusinessStandard, 3, customTermEndDate: termEnd.AddDays(20).ToString("yyyy-MM-dd")));
        Assert.Equal(HttpStatusCode.BadRequest, misaligned.StatusCode);
        Assert.Contains("scheduledNextTermInstructions.customTermEndDate", misalignedBody.GetProperty("data").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(JsonValueKind.Null, (await emulator.GetAsync(path)).Body.GetProperty("scheduledNextTermInstructions").ValueKind);

        var (scheduled, _) = await emulator.PatchAsync(path, Schedule(BusinessStandard, 3));
        Assert.Equal(HttpStatusCode.OK, scheduled.StatusCode);
        var instructions = (await emulator.GetAsync(path)).Body.GetProperty("scheduledNextTermInstructions");
        Assert.Equal("CFQ7TTC0LDPB", instructions.GetProperty("product").GetProperty("productId").GetString());
        Assert.Equal("P1Y", instructions.GetProperty("product").GetProperty("termDuration").GetString());
        Assert.Equal(3, instructions.GetProperty("quantity").GetInt32());
        Assert.Equal(5, (await emulator.GetAsync(path)).Body.GetProperty("quantity").GetInt32());

        // A second subscription: its schedule is deleted by an immediate quantity change.
        var other = await emulator.BuyAsync(customerId, Catalog.BusinessBasic, 2);
        var otherPath = $"/v1/customers/{customerId}/subscriptions/{other}";
        await emulator.PatchAsync(otherPath, Schedule(BusinessStandard, 4));
        Assert.Equal(JsonValueKind.Object, (await emulator.GetAsync(otherPath)).Body.GetProperty("scheduledNextTermInstructions").ValueKind);
        var (grown, grownBody) = await emulator.PatchAsync(otherPath, new { quantity = 3 });
        Assert.Equal(HttpStatusCode.OK, grown.StatusCode);
        Assert.Equal(JsonValueKind.Null, grownBody.GetProperty("scheduledNextTermInstructions").ValueKind);

        var now = (await emulator.NowAsync()).UtcDateTime.Date;
        await emulator.AdvanceAsync(days: (termEnd - now).Days + 1);
        var (_, renewed) = await emulator.GetAsync(path);
        Assert.Equal(BusinessStandard, renewed.GetProperty("offerId").GetString());
        Assert.Equal(3, renewed.GetProperty("quantity").GetInt32());
        Assert.Equal("P1Y", renewed.GetProperty("termDuration").GetString());
        Assert.Equal(termEnd.AddDays(1), renewed.GetProperty("effectiveStartDate").GetDateTime().Date);
        Assert.Equal(termEnd.AddDays(1).AddYears(1).AddDays(-1), renewed.GetProperty("commitmentEndDate").GetDateTime().Date);
        Assert.Equal(JsonValueKind.Null, renewed.GetProperty("scheduledNextTermInstructions").ValueKind);
        var (_, unchanged) = await emulator.GetAsync(otherPath);
        Assert.Equal(Catalog.BusinessBasic, unchanged.GetProperty("offerId").GetString());
        Assert.Equal(3, unchanged.GetProperty("quantity").GetInt32());
    }

    [Fact]
    public async Task An_upgrade_moves_seats_and_licenses_into_a_co_termed_subscription_and_a_later_one_merges_into_it()
    {
        var (customerId, _, _) = await emulator.CreateCustomerAsync("upgrade");
        var id = await emulator.BuyAsync(customerId, Catalog.BusinessBasic, 4, "P1Y", "Monthly");
        var path = $"/v1/customers/{customerId}/subscriptions/{id}";
        var (_, users) = await emulator.GetAsync($"/v1/customers/{customerId}/users");
        var adminId = users.GetProperty("items")[0].GetProperty("id").GetString();
        var (assigned, _) = await emulator.PostAsync($"/v1/customers/{customerId}/users/{adminId}/licenseupdates",
            new { licensesToAssign = new[] { new { skuId = Catalog.BusinessBasicSku.ToString() } } });
        Assert.Equal(HttpStatusCode.Created, assigned.StatusCode);

        var (eligibilityResponse, eligibilities) = await emulator.GetAsync($"{path}/transitionEligibilities?eligibilityType=immediate");
        Assert.Equal(HttpStatusCode.OK, eligibilityResponse.StatusCode);
        var targets = eligibilities.GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(targets, t => t.GetProperty("catalogItemId").GetString() == Catalog.BusinessPremium);
        Assert.DoesNotContain(targets, t => t.GetProperty("catalogItemId").GetString() == Catalog.BusinessBasic);
        Assert.All(targets[0].GetProperty("eligibilities").EnumerateArray(), e => Assert.True(e.GetProperty("isEligible").GetBoolean()));
        var (badType, _) = await emulator.GetAsync($"{path}/transitionEligibilities?eligibilityType=sometime");
        Assert.Equal(HttpStatusCode.BadRequest, badType.StatusCode);

        var (ineligible, ineligibleBody) = await emulator.PostAsync($"{path}/transitions",
            new { toCatalogItemId = "CFQ7TTC0LFLZ:0002:CFQ7TTC0K4TS", quantity = 1, transitionType = "transition_only" });
        Assert.Equal(HttpStatusCode.BadRequest, ineligible.StatusCode);
        Assert.Contains("toCatalogItemId", ineligibleBody.GetProperty("data").EnumerateArray().Select(d => d.GetString()));
        var (tooMany, tooManyBody) = await emulator.PostAsync($"{path}/transitions",
            new { toCatalogItemId = Catalog.BusinessPremium, quantity = 5, transitionType = "transition_only" });
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Equal(2002, tooManyBody.GetProperty("code").GetInt32());
        Assert.Equal(4, (await emulator.GetAsync(path)).Body.GetProperty("quantity").GetInt32());

        var (partial, transition) = await emulator.PostAsync($"{path}/transitions",
            new { toCatalogItemId = Catalog.BusinessPremium, quantity = 2, transitionType = "transition_with_license_transfer" });
        Assert.Equal(HttpStatusCode.OK, partial.StatusCode);
        Assert.Equal("Transition", transition.GetProperty("attributes").GetProperty("objectType").GetString());
        var targetId = transition.GetProperty("toSubscriptionId").GetString();
        var (_, source) = await emulator.GetAsync(path);
        var (_, target) = await emulator.GetAsync($"/v1/customers/{customerId}/subscriptions/{targetId}");
        Assert.Equal(2, source.GetProperty("quantity").GetInt32());
        Assert.Equal(2, target.GetProperty("quantity").GetInt32());
        Assert.Equal(Catalog.BusinessPremium, target.GetProperty("offerId").GetString());
        Assert.Equal(source.GetProperty("commitmentEndDate").GetString(), target.GetProperty("commitmentEndDate").GetString());
        Assert.Equal(source.GetProperty("cancellationAllowedUntilDate").GetString(), target.GetProperty("cancellationAllowedUntilDate").GetString());
        var (_, admin) = await emulator.GetAsync($"/v1/customers/{customerId}/users/{adminId}/licenses");
        var skus = admin.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("productSku").GetProperty("id").GetString()).ToList();
        Assert.Contains(BusinessPremiumSku.ToString(), skus);
        Assert.DoesNotContain(Catalog.BusinessBasicSku.ToString(), skus);

        // After the target's cancellation window, the rest merges into the existing target and the source ends.
        await emulator.AdvanceAsync(days: 8);
        var (_, later) = await emulator.GetAsync($"{path}/transitionEligibilities");
        var premium = later.GetProperty("items").EnumerateArray().First(t => t.GetProperty("catalogItemId").GetString() == Catalog.BusinessPremium);
        Assert.True(premium.GetProperty("subscriptionEligibilities")[0].GetProperty("isEligible").GetBoolean());
        var (merge, _) = await emulator.PostAsync($"{path}/transitions",
            new { toCatalogItemId = Catalog.BusinessPremium, toSubscriptionId = targetId, quantity = 2, transitionType = "transition_only" });
        Assert.Equal(HttpStatusCode.OK, merge.StatusCode);
        Assert.Equal(4, (await emulator.GetAsync($"/v1/customers/{customerId}/subscriptions/{targetId}")).Body.GetProperty("quantity").GetInt32());
        Assert.Equal("deleted", (await emulator.GetAsync(path)).Body.GetProperty("status").GetString());
        var (_, history) = await emulator.GetAsync($"/v1/customers/{customerId}/subscriptions/{targetId}/transitions");
        Assert.Equal(2, history.GetProperty("totalCount").GetInt32());
        var (ended, endedBody) = await emulator.PostAsync($"{path}/transitions",
            new { toCatalogItemId = Catalog.BusinessPremium, quantity = 1, transitionType = "transition_only" });
        Assert.Equal(HttpStatusCode.BadRequest, ended.StatusCode);
        Assert.Contains("isn't active", endedBody.GetProperty("description").GetString());
    }

    [Fact]
    public async Task A_term_ending_with_auto_renew_off_enters_the_extended_service_term_billed_monthly_at_3_percent_more_unless_cancelled_at_term_end()
    {
        var (customerId, _, _) = await emulator.CreateCustomerAsync("est");
        var extended = await emulator.BuyAsync(customerId, Catalog.BusinessBasic, 2);
        var lapsing = await emulator.BuyAsync(customerId, Catalog.BusinessBasic, 1);
        var path = $"/v1/customers/{customerId}/subscriptions/{extended}";
        var lapsingPath = $"/v1/customers/{customerId}/subscriptions/{lapsing}";
        await emulator.PatchAsync(path, new { autoRenewEnabled = false });
        var (cancelAtEnd, cancelAtEndBody) = await emulator.PatchAsync(lapsingPath, new { cancelAtTermEnd = true });
        Assert.Equal(HttpStatusCode.OK, cancelAtEnd.StatusCode);
        Assert.False(cancelAtEndBody.GetProperty("autoRenewEnabled").GetBoolean());
        var termEnd = cancelAtEndBody.GetProperty("commitmentEndDate").GetDateTime().Date;

        var now = (await emulator.NowAsync()).UtcDateTime.Date;
        await emulator.AdvanceAsync(days: (termEnd - now).Days + 1);
        var (_, est) = await emulator.GetAsync(path);
        Assert.Equal("active", est.GetProperty("status").GetString());
        // Business Basic's one-month term is 7.20 a seat; 7.20 × 1.03 = 7.416, rounded to 7.42.
        Assert.Equal(7.42m, est.GetProperty("extendedServiceTerm").GetProperty("unitPrice").GetDecimal());
        Assert.Equal(termEnd.AddDays(1), est.GetProperty("extendedServiceTerm").GetProperty("startDate").GetDateTime().Date);
        Assert.Equal(est.GetProperty("commitmentEndDate").GetString(), est.GetProperty("cancellationAllowedUntilDate").GetString());
        Assert.Equal("expired", (await emulator.GetAsync(lapsingPath)).Body.GetProperty("status").GetString());

        var (grow, growBody) = await emulator.PatchAsync(path, new { quantity = 3 });
        Assert.Equal(HttpStatusCode.BadRequest, grow.StatusCode);
        Assert.Equal(800002, growBody.GetProperty("code").GetInt32());
        var (renewOn, _) = await emulator.PatchAsync(path, new { autoRenewEnabled = true });
        Assert.Equal(HttpStatusCode.BadRequest, renewOn.StatusCode);

        // A second month of EST, then the invoice of the month that holds the first one.
        await emulator.AdvanceAsync(days: 31);
        var (_, second) = await emulator.GetAsync(path);
        Assert.Equal(termEnd.AddDays(1).AddMonths(1), second.GetProperty("effectiveStartDate").GetDateTime().Date);
        await emulator.AdvanceAsync(days: 40);
        var (_, invoices) = await emulator.GetAsync("/v1/invoices");
        var lines = new List<JsonElement>();
        foreach (var invoice in invoices.GetProperty("items").EnumerateArray())
        {
            var (_, page) = await emulator.GetAsync($"/v1/invoices/{invoice.GetProperty("id").GetString()}/lineitems?provider=onetime&invoicelineitemtype=billinglineitems");
            lines.AddRange(page.GetProperty("items").EnumerateArray().Where(l => l.GetProperty("subscriptionId").GetString() == extended.ToString()));
        }
        var estLines = lines.Where(l => l.GetProperty("chargeType").GetString() == "extendedServiceTerm").ToList();
        Assert.True(estLines.Count >= 2, $"expected two EST months on the invoices, found {estLines.Count}");
        Assert.All(estLines, l => Assert.Equal(7.42m * 2, l.GetProperty("subtotal").GetDecimal()));

        var (cancel, cancelBody) = await emulator.PatchAsync(path, new { status = "deleted" });
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("deleted", cancelBody.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Custom_term_end_dates_align_with_month_ends_and_active_subscriptions_and_a_purchase_may_co_term()
    {
        var (customerId, _, _) = await emulator.CreateCustomerAsync("coterm");
        var existing = await emulator.BuyAsync(customerId, Catalog.BusinessPremium, 1, "P1Y", "Annual");
        var (_, existingBody) = await emulator.GetAsync($"/v1/customers/{customerId}/subscriptions/{existing}");
        var existingEnd = existingBody.GetProperty("commitmentEndDate").GetDateTime().Date;
        await emulator.AdvanceAsync(days: 40);

        var (missing, _) = await emulator.GetAsync($"/v1/customers/{customerId}/subscriptions/customTermEndDates");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var (ok, dates) = await emulator.GetAsync($"/v1/customers/{customerId}/subscriptions/customTermEndDates?term_duration=P1Y");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var items = dates.GetProperty("items").EnumerateArray().ToList();
        var monthEnd = items.Single(i => i.GetProperty("allowedCustomTermEndDateType").GetString() == "calendarMonthAligned").GetProperty("allowedCustomTermEndDate").GetDateTime();
        Assert.Equal(1, monthEnd.AddDays(1).Day);
        var aligned = items.Single(i => i.GetProperty("allowedCustomTermEndDateType").GetString() == "subscriptionAligned");
        Assert.Equal(existingEnd, aligned.GetProperty("allowedCustomTermEndDate").GetDateTime().Date);
        Assert.Equal(existing.ToString(), aligned.GetProperty("cotermSubscriptionIds")[0].GetString());

        var (_, cart) = await emulator.PostAsync($"/v1/customers/{customerId}/carts", new
        {
            lineItems = new[] { new { catalogItemId = Catalog.BusinessBasic, quantity = 2, termDuration = "P1Y", billingCycle = "Annual", customTermEndDate = existingEnd.AddDays(-3).ToString("yyyy-MM-dd") } },
        });
        var (refused, refusedBody) = await emulator.PostAsync($"/v1/customers/{customerId}/carts/{cart.GetProperty("id").GetString()}/checkout", null);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(800009, refusedBody.GetProperty("code").GetInt32());

        var (_, goodCart) = await emulator.PostAsync($"/v1/customers/{customerId}/carts", new
        {
            lineItems = new[] { new { catalogItemId = Catalog.BusinessBasic, quantity = 2, termDuration = "P1Y", billingCycle = "Annual", customTermEndDate = existingEnd.ToString("yyyy-MM-dd") } },
        });
        var (checkout, checkoutBody) = await emulator.PostAsync($"/v1/customers/{customerId}/carts/{goodCart.GetProperty("id").GetString()}/checkout", null);
        Assert.Equal(HttpStatusCode.Created, checkout.StatusCode);
        var line = checkoutBody.GetProperty("orders")[0].GetProperty("lineItems")[0];
        Assert.Equal(existingEnd, line.GetProperty("customTermEndDate").GetDateTime().Date);
        var (_, cotermed) = await emulator.GetAsync($"/v1/customers/{customerId}/subscriptions/{line.GetProperty("subscriptionId").GetString()}");
        Assert.Equal(existingEnd, cotermed.GetProperty("commitmentEndDate").GetDateTime().Date);
        var (_, state) = await emulator.GetAsync("/_emulator/state");
        Assert.Contains(state.GetProperty("tenants").EnumerateArray().SelectMany(t => t.GetProperty("subscriptions").EnumerateArray()),
            s => s.TryGetProperty("extendedServiceTerm", out _) && s.TryGetProperty("scheduledNextTermInstructions", out _));
    }
}
