using System.Net;
using System.Text.Json;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace Skyport.Emulator.Tests;

public sealed class DeltaExpiryFixture : EmulatorFixture;

public sealed class UnitStatesFixture : EmulatorFixture;

public sealed class InvoiceDayFixture : EmulatorFixture;

// One emulator per clock-moving test: a clock moved back does not undo what a later date already did.
public sealed class DeltaExpiryTests(DeltaExpiryFixture emulator) : ExpiryAndLimitTests(emulator), IClassFixture<DeltaExpiryFixture>
{
    [Fact]
    public Task Delta_link_expiry() => A_delta_link_older_than_seven_days_answers_410_syncStateNotFound_with_a_location_that_restarts_the_round();
}

public sealed class UnitStateTests(UnitStatesFixture emulator) : ExpiryAndLimitTests(emulator), IClassFixture<UnitStatesFixture>
{
    [Fact]
    public Task Unit_states() => Expired_seats_turn_warning_then_suspended_cancelled_seats_suspended_and_neither_can_be_assigned();
}

public sealed class InvoiceDayTests(InvoiceDayFixture emulator) : ExpiryAndLimitTests(emulator), IClassFixture<InvoiceDayFixture>
{
    [Fact]
    public Task Invoice_day_and_size() => Invoices_come_on_the_8th_for_the_month_before_and_line_items_page_up_to_2000();
}

[Collection(SharedEmulator.Name)]
public sealed class UserConflictTests(EmulatorFixture emulator) : ExpiryAndLimitTests(emulator)
{
    [Fact]
    public Task User_conflict() => A_taken_user_name_is_an_ObjectConflict_in_Graph_and_names_userPrincipalName_in_Partner_Center();
}

/// <summary>
/// Issue 12 items 8 and 9, as Microsoft documents them: delta links die after seven days, a taken user name is an
/// ObjectConflict, expired and cancelled subscriptions leave warning and suspended units, invoice line items page up to
/// 2,000 and invoices come on the 8th. Each scenario sets the clock it needs.
/// </summary>
public abstract class ExpiryAndLimitTests(EmulatorFixture emulator)
{
    private HttpClient GraphHttp(string token)
    {
        var http = new HttpClient { BaseAddress = new Uri(emulator.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return http;
    }

    private static async Task<string> DeltaLinkAsync(HttpClient http, string first)
    {
        var link = first;
        while (true)
        {
            using var page = JsonDocument.Parse(await (await http.GetAsync(link)).EnsureSuccessStatusCode().Content.ReadAsStringAsync());
            if (page.RootElement.TryGetProperty("@odata.deltaLink", out var delta)) return delta.GetString()!;
            link = page.RootElement.GetProperty("@odata.nextLink").GetString()!;
        }
    }

    protected async Task A_delta_link_older_than_seven_days_answers_410_syncStateNotFound_with_a_location_that_restarts_the_round()
    {
        await emulator.SendAsync(HttpMethod.Put, "/_emulator/clock", new { now = "2026-03-02T10:00:00Z" });
        var (tenantId, domain, _) = await emulator.CreateCustomerAsync("deltaexpiry");
        using var http = GraphHttp(await emulator.TokenAsync(tenantId, "https://graph.microsoft.com/.default"));
        var graph = emulator.Graph(tenantId);
        await graph.Users.PostAsync(NewUser($"early@{domain}"));

        var fresh = await DeltaLinkAsync(http, "/graph/v1.0/users/delta?$select=id,displayName");
        var nextPage = JsonDocument.Parse(await (await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/graph/v1.0/users/delta")
        {
            Headers = { { "Prefer", "odata.maxpagesize=1" } },
        })).Content.ReadAsStringAsync()).RootElement.GetProperty("@odata.nextLink").GetString()!;

        await emulator.AdvanceAsync(6, 23);
        var stillValid = await http.GetAsync(fresh);
        Assert.Equal(HttpStatusCode.OK, stillValid.StatusCode);
        var renewed = JsonDocument.Parse(await stillValid.Content.ReadAsStringAsync()).RootElement.GetProperty("@odata.deltaLink").GetString()!;

        await emulator.AdvanceAsync(0, 2); // the first links are now 7 days and 1 hour old
        foreach (var expired in new[] { fresh, nextPage })
        {
            var gone = await http.GetAsync(expired);
            Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
            using var body = JsonDocument.Parse(await gone.Content.ReadAsStringAsync());
            Assert.Equal("syncStateNotFound", body.RootElement.GetProperty("error").GetProperty("code").GetString());
            var location = gone.Headers.Location!.OriginalString;
            Assert.EndsWith("$deltatoken=", location);

            // The Location is the initial query: every user again, and a new delta link.
            var restart = await http.GetAsync(location);
            Assert.Equal(HttpStatusCode.OK, restart.StatusCode);
            using var round = JsonDocument.Parse(await restart.Content.ReadAsStringAsync());
            Assert.Equal(2, round.RootElement.GetProperty("value").GetArrayLength());
            Assert.True(round.RootElement.TryGetProperty("@odata.deltaLink", out _));
        }
        var selected = await http.GetAsync(fresh);
        Assert.Contains("$select=id%2CdisplayName", selected.Headers.Location!.OriginalString);

        // A link renewed within the week lives on; the SDK sees the expiry as an ODataError with status 410.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(renewed)).StatusCode);
        var sdk = await Assert.ThrowsAsync<ODataError>(() => graph.Users.Delta.WithUrl(fresh).GetAsDeltaGetResponseAsync());
        Assert.Equal(410, sdk.ResponseStatusCode);
        Assert.Equal("syncStateNotFound", sdk.Error!.Code);

        // A token the service never issued is a 400 with the same code.
        var unknown = await http.GetAsync("/graph/v1.0/users/delta?$deltatoken=bm9uc2Vuc2U");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("syncStateNotFound", await unknown.Content.ReadAsStringAsync());
    }

    protected async Task A_taken_user_name_is_an_ObjectConflict_in_Graph_and_names_userPrincipalName_in_Partner_Center()
    {
        var (tenantId, domain, _) = await emulator.CreateCustomerAsync("conflict");
        using var http = GraphHttp(await emulator.TokenAsync(tenantId, "https://graph.microsoft.com/.default"));
        var graph = emulator.Graph(tenantId);
        var other = await graph.Users.PostAsync(NewUser($"other@{domain}"));

        foreach (var attempt in new[]
        {
            http.PostAsync("/graph/v1.0/users", JsonContent(NewUserJson($"ADMIN@{domain}"))),
            http.PatchAsync($"/graph/v1.0/users/{other!.Id}", JsonContent(new { userPrincipalName = $"admin@{domain}" })),
        })
        {
            var response = await attempt;
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var error = body.RootElement.GetProperty("error");
            Assert.Equal("Request_BadRequest", error.GetProperty("code").GetString());
            Assert.Equal("Another object with the same value for property userPrincipalName already exists.", error.GetProperty("message").GetString());
            var detail = Assert.Single(error.GetProperty("details").EnumerateArray().ToList());
            Assert.Equal("userPrincipalName", detail.GetProperty("target").GetString());
            Assert.Equal("ObjectConflict", detail.GetProperty("code").GetString());
        }
        // Other refusals carry no details.
        var weak = await http.PostAsync("/graph/v1.0/users", JsonContent(NewUserJson($"weak@{domain}", "password")));
        Assert.False(JsonDocument.Parse(await weak.Content.ReadAsStringAsync()).RootElement.GetProperty("error").TryGetProperty("details", out _));

        var (pc, pcBody) = await emulator.PostAsync($"/v1/customers/{tenantId}/users", new
        {
            userPrincipalName = $"other@{domain}", displayName = "Other", passwordProfile = new { password = "abCD123*xy" },
        });
        Assert.Equal(HttpStatusCode.BadRequest, pc.StatusCode);
        Assert.Equal("Another object with the same value for property userPrincipalName already exists.", pcBody.GetProperty("description").GetString());
        Assert.Equal("userPrincipalName", Assert.Single(pcBody.GetProperty("data").EnumerateArray().ToList()).GetString());
        Assert.Equal("PartnerFD", pcBody.GetProperty("source").GetString());
    }

    protected async Task Expired_seats_turn_warning_then_suspended_cancelled_seats_suspended_and_neither_can_be_assigned()
    {
        await emulator.SendAsync(HttpMethod.Put, "/_emulator/clock", new { now = "2026-06-01T08:00:00Z" });
        var (tenantId, domain, _) = await emulator.CreateCustomerAsync("units");
        var kept = await emulator.BuyAsync(tenantId, Catalog.BusinessBasic, 1);
        var lapsing = await emulator.BuyAsync(tenantId, Catalog.BusinessBasic, 3);
        var cancelled = await emulator.BuyAsync(tenantId, Catalog.PowerBiPro, 2);
        // Auto-renew off alone would continue it in the extended service term (since 4 May 2026): it is cancelled at term end.
        await emulator.PatchAsync($"/v1/customers/{tenantId}/subscriptions/{lapsing}", new { autoRenewEnabled = false, cancelAtTermEnd = true });
        var (cancel, _) = await emulator.PatchAsync($"/v1/customers/{tenantId}/subscriptions/{cancelled}", new { status = "deleted" });
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var graph = emulator.Graph(tenantId);
        var user = await graph.Users.PostAsync(NewUser($"units@{domain}", usageLocation: "US"));

        Assert.Equal((4, 0, 0, 0, "Enabled"), await PcUnitsAsync(tenantId, Catalog.BusinessBasicSku));
        Assert.Equal((0, 2, 0, 0, "Suspended"), await PcUnitsAsync(tenantId, Catalog.PowerBiProSku));
        Assert.Equal((4, 0, 0, "Enabled"), await GraphUnitsAsync(graph, Catalog.BusinessBasicSku));
        Assert.Equal((0, 2, 0, "Suspended"), await GraphUnitsAsync(graph, Catalog.PowerBiProSku));
        var pbi = await Assert.ThrowsAsync<ODataError>(() => graph.Users[user!.Id].AssignLicense.PostAsync(Assign(Catalog.PowerBiProSku)));
        Assert.Contains("does not have any available licenses", pbi.Error!.Message);

        // The 3-seat subscription ends with its month; its seats are in warning for the grace period.
        await emulator.SendAsync(HttpMethod.Put, "/_emulator/clock", new { now = "2026-07-02T08:00:00Z" });
        Assert.Equal((1, 0, 3, 0, "Enabled"), await PcUnitsAsync(tenantId, Catalog.BusinessBasicSku));
        var (_, skus) = await emulator.GetAsync($"/v1/customers/{tenantId}/subscribedskus");
        var basic = skus.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("productSku").GetProperty("id").GetGuid() == Catalog.BusinessBasicSku);
        Assert.Equal(4, basic.GetProperty("totalUnits").GetInt32());
        Assert.Equal(4, basic.GetProperty("availableUnits").GetInt32());
        Assert.Equal((1, 0, 3, "Enabled"), await GraphUnitsAsync(graph, Catalog.BusinessBasicSku));

        // Only the enabled seat can be assigned: warning seats are not.
        await graph.Users[user!.Id].AssignLicense.PostAsync(Assign(Catalog.BusinessBasicSku));
        var admin = (await graph.Users.GetAsync(r => r.QueryParameters.Filter = $"userPrincipalName eq 'admin@{domain}'"))!.Value!.Single();
        await graph.Users[admin.Id].PatchAsync(new User { UsageLocation = "US" });
        var full = await Assert.ThrowsAsync<ODataError>(() => graph.Users[admin.Id].AssignLicense.PostAsync(Assign(Catalog.BusinessBasicSku)));
        Assert.Contains("does not have any available licenses", full.Error!.Message);
        var (pcFull, pcFullBody) = await emulator.PostAsync($"/v1/customers/{tenantId}/users/{admin.Id}/licenseupdates",
            new { licensesToAssign = new[] { new { skuId = Catalog.BusinessBasicSku } } });
        Assert.Equal(HttpStatusCode.BadRequest, pcFull.StatusCode);
        Assert.Equal(60012, pcFullBody.GetProperty("code").GetInt32());

        // After the grace period the expired seats are suspended; 90 days after the cancellation, those seats are gone.
        await emulator.SendAsync(HttpMethod.Put, "/_emulator/clock", new { now = "2026-08-02T08:00:00Z" });
        Assert.Equal((1, 3, 0, 1, "Enabled"), await PcUnitsAsync(tenantId, Catalog.BusinessBasicSku));
        await emulator.SendAsync(HttpMethod.Put, "/_emulator/clock", new { now = "2026-09-01T08:00:00Z" });
        Assert.Equal((0, 0, 0, 0, "Deleted"), await PcUnitsAsync(tenantId, Catalog.PowerBiProSku));
        Assert.Equal((0, 0, 0, "Deleted"), await GraphUnitsAsync(graph, Catalog.PowerBiProSku));
        await emulator.SendAsync(HttpMethod.Put, "/_emulator/clock", new { now = "2026-11-01T08:00:00Z" });
        Assert.Equal((1, 0, 0, 1, "Enabled"), await PcUnitsAsync(tenantId, Catalog.BusinessBasicSku));
        Assert.NotEqual(Guid.Empty, kept);
    }

    protected async Task Invoices_come_on_the_8th_for_the_month_before_and_line_items_page_up_to_2000()
    {
        await emulator.SendAsync(HttpMethod.Put, "/_emulator/clock", new { now = "2027-03-15T08:00:00Z" });
        var (tenantId, _, _) = await emulator.CreateCustomerAsync("invoices");
        await emulator.BuyAsync(tenantId, Catalog.BusinessBasic, 2);

        await emulator.SendAsync(HttpMethod.Put, "/_emulator/clock", new { now = "2027-04-07T23:00:00Z" });
        Assert.DoesNotContain(await InvoicesAsync(), i => i.GetProperty("billingPeriodStartDate").GetDateTime().Date == new DateTime(2027, 3, 1));
        await emulator.SendAsync(HttpMethod.Put, "/_emulator/clock", new { now = "2027-04-08T01:00:00Z" });
        var march = Assert.Single(await InvoicesAsync(), i => i.GetProperty("billingPeriodStartDate").GetDateTime().Date == new DateTime(2027, 3, 1));
        Assert.Equal(new DateTime(2027, 4, 8), march.GetProperty("invoiceDate").GetDateTime().Date);
        Assert.Equal(new DateTime(2027, 3, 31), march.GetProperty("billingPeriodEndDate").GetDateTime().Date);
        var id = march.GetProperty("id").GetString();
        var lineItems = $"/v1/invoices/{id}/lineitems?provider=onetime&invoicelineitemtype=billinglineitems";
        Assert.EndsWith("size=2000", march.GetProperty("invoiceDetails")[0].GetProperty("links").GetProperty("self").GetProperty("uri").GetString());

        var (maximum, page) = await emulator.GetAsync(lineItems + "&size=2000");
        Assert.Equal(HttpStatusCode.OK, maximum.StatusCode);
        Assert.Contains(page.GetProperty("items").EnumerateArray(), l => l.GetProperty("customerId").GetGuid() == tenantId);
        var (defaulted, _) = await emulator.GetAsync(lineItems);
        Assert.Equal(HttpStatusCode.OK, defaulted.StatusCode);
        var (tooMany, error) = await emulator.GetAsync(lineItems + "&size=2001");
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Equal(3000, error.GetProperty("code").GetInt32());
        Assert.Equal("size", Assert.Single(error.GetProperty("data").EnumerateArray().ToList()).GetString());
    }

    private async Task<List<JsonElement>> InvoicesAsync() =>
        [.. (await emulator.GetAsync("/v1/invoices")).Body.GetProperty("items").EnumerateArray()];

    private async Task<(int Active, int Suspended, int Warning, int Consumed, string Status)> PcUnitsAsync(Guid tenantId, Guid skuId)
    {
        var (_, skus) = await emulator.GetAsync($"/v1/customers/{tenantId}/subscribedskus");
        var sku = skus.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("productSku").GetProperty("id").GetGuid() == skuId);
        return (sku.GetProperty("activeUnits").GetInt32(), sku.GetProperty("suspendedUnits").GetInt32(), sku.GetProperty("warningUnits").GetInt32(),
            sku.GetProperty("consumedUnits").GetInt32(), sku.GetProperty("capabilityStatus").GetString()!);
    }

    private static async Task<(int Enabled, int Suspended, int Warning, string Status)> GraphUnitsAsync(Microsoft.Graph.GraphServiceClient graph, Guid skuId)
    {
        var sku = (await graph.SubscribedSkus.GetAsync())!.Value!.Single(s => s.SkuId == skuId);
        return (sku.PrepaidUnits!.Enabled!.Value, sku.PrepaidUnits.Suspended!.Value, sku.PrepaidUnits.Warning!.Value, sku.CapabilityStatus!);
    }

    private static Microsoft.Graph.Users.Item.AssignLicense.AssignLicensePostRequestBody Assign(Guid skuId) => new()
    {
        AddLicenses = [new AssignedLicense { SkuId = skuId, DisabledPlans = [] }],
        RemoveLicenses = [],
    };

    private static User NewUser(string upn, string? usageLocation = null) => new()
    {
        AccountEnabled = true,
        DisplayName = upn.Split('@')[0],
        MailNickname = upn.Split('@')[0],
        UserPrincipalName = upn,
        UsageLocation = usageLocation,
        PasswordProfile = new PasswordProfile { ForceChangePasswordNextSignIn = true, Password = "xWwvJ]6NMw+bWH-d" },
    };

    private static object NewUserJson(string upn, string password = "xWwvJ]6NMw+bWH-d") => new
    {
        accountEnabled = true,
        displayName = upn.Split('@')[0],
        mailNickname = upn.Split('@')[0],
        userPrincipalName = upn,
        passwordProfile = new { forceChangePasswordNextSignIn = true, password },
    };

    private static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}
