using System.Net;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Users.Item.AssignLicense;

namespace Skyport.Emulator.Tests;

/// <summary>Graph conformance, driven by the official Microsoft.Graph SDK.</summary>
[Collection(SharedEmulator.Name)]
public sealed class GraphSdkTests(EmulatorFixture emulator)
{
    private static User NewUser(string upn, string password = "xWwvJ]6NMw+bWH-d", string? usageLocation = null) => new()
    {
        AccountEnabled = true,
        DisplayName = upn.Split('@')[0],
        MailNickname = upn.Split('@')[0],
        UserPrincipalName = upn,
        UsageLocation = usageLocation,
        PasswordProfile = new PasswordProfile { ForceChangePasswordNextSignIn = true, Password = password },
    };

    [Fact]
    public async Task Users_are_created_read_by_id_and_upn_updated_and_deleted_through_the_sdk()
    {
        var (tenantId, domain, _) = await emulator.CreateCustomerAsync("graphusers");
        var graph = emulator.Graph(tenantId);

        var created = await graph.Users.PostAsync(NewUser($"adele@{domain}"));
        Assert.NotNull(created?.Id);
        Assert.Equal($"adele@{domain}", created.UserPrincipalName);

        var byUpn = await graph.Users[$"adele@{domain}"].GetAsync();
        Assert.Equal(created.Id, byUpn!.Id);
        var selected = await graph.Users[created.Id].GetAsync(r => r.QueryParameters.Select = ["id", "usageLocation", "accountEnabled"]);
        Assert.True(selected!.AccountEnabled);
        Assert.Null(selected.DisplayName);

        await graph.Users[created.Id].PatchAsync(new User { DisplayName = "Adele Vance", UsageLocation = "GB" });
        var updated = await graph.Users[created.Id].GetAsync(r => r.QueryParameters.Select = ["displayName", "usageLocation"]);
        Assert.Equal("Adele Vance", updated!.DisplayName);
        Assert.Equal("GB", updated.UsageLocation);

        // The same user through Partner Center.
        var (_, pcUser) = await emulator.GetAsync($"/v1/customers/{tenantId}/users/{created.Id}");
        Assert.Equal("Adele Vance", pcUser.GetProperty("displayName").GetString());

        var duplicate = await Assert.ThrowsAsync<ODataError>(() => graph.Users.PostAsync(NewUser($"adele@{domain}")));
        Assert.Equal(400, duplicate.ResponseStatusCode);
        Assert.Equal("Request_BadRequest", duplicate.Error!.Code);
        Assert.Equal("Another object with the same value for property userPrincipalName already exists.", duplicate.Error.Message);

        var weak = await Assert.ThrowsAsync<ODataError>(() => graph.Users.PostAsync(NewUser($"weak@{domain}", "password")));
        Assert.Contains("password complexity", weak.Error!.Message);

        var foreignDomain = await Assert.ThrowsAsync<ODataError>(() => graph.Users.PostAsync(NewUser("x@elsewhere.onmicrosoft.com")));
        Assert.Equal(400, foreignDomain.ResponseStatusCode);

        await graph.Users[created.Id].DeleteAsync();
        var gone = await Assert.ThrowsAsync<ODataError>(() => graph.Users[created.Id].GetAsync());
        Assert.Equal(404, gone.ResponseStatusCode);
        Assert.Equal("Request_ResourceNotFound", gone.Error!.Code);

        var deleted = await graph.Directory.DeletedItems.GraphUser.GetAsync();
        Assert.Equal(created.Id, Assert.Single(deleted!.Value!).Id);
        var restored = await graph.Directory.DeletedItems[created.Id].Restore.PostAsync();
        Assert.Equal(created.Id, restored!.Id);
        Assert.Equal("Adele Vance", (await graph.Users[created.Id].GetAsync())!.DisplayName);
    }

    [Fact]
    public async Task Users_list_pages_with_top_filters_by_upn_and_mail_and_selects()
    {
        var (tenantId, domain, _) = await emulator.CreateCustomerAsync("graphlist");
        var graph = emulator.Graph(tenantId);
        for (var i = 0; i < 4; i++) await graph.Users.PostAsync(NewUser($"user{i}@{domain}"));

        var first = await graph.Users.GetAsync(r => { r.QueryParameters.Top = 2; r.QueryParameters.Select = ["id", "userPrincipalName"]; });
        Assert.Equal(2, first!.Value!.Count);
        Assert.NotNull(first.OdataNextLink);
        var all = new List<User>();
        var iterator = PageIterator<User, UserCollectionResponse>.CreatePageIterator(graph, first, u => { all.Add(u); return true; });
        await iterator.IterateAsync();
        Assert.Equal(5, all.Count); // admin + 4
        Assert.All(all, u => Assert.Null(u.DisplayName));

        var filtered = await graph.Users.GetAsync(r => r.QueryParameters.Filter = $"userPrincipalName eq 'user2@{domain}'");
        Assert.Equal($"user2@{domain}", Assert.Single(filtered!.Value!).UserPrincipalName);
        var byMail = await graph.Users.GetAsync(r => r.QueryParameters.Filter = $"mail eq 'USER3@{domain}'");
        Assert.Single(byMail!.Value!);

        var tooBig = await Assert.ThrowsAsync<ODataError>(() => graph.Users.GetAsync(r => r.QueryParameters.Top = 1000));
        Assert.Equal(400, tooBig.ResponseStatusCode);
        var badFilter = await Assert.ThrowsAsync<ODataError>(() => graph.Users.GetAsync(r => r.QueryParameters.Filter = "jobTitle ne 'x'"));
        Assert.Equal(400, badFilter.ResponseStatusCode);
    }

    [Fact]
    public async Task Delta_returns_changes_and_removals_and_a_delta_link_on_every_spelling()
    {
        var (tenantId, domain, _) = await emulator.CreateCustomerAsync("graphdelta");
        var graph = emulator.Graph(tenantId);
        var a = await graph.Users.PostAsync(NewUser($"a@{domain}"));
        var b = await graph.Users.PostAsync(NewUser($"b@{domain}"));

        var round = await graph.Users.Delta.GetAsDeltaGetResponseAsync(r => r.Headers.Add("Prefer", "odata.maxpagesize=2"));
        var seen = new List<User>(round!.Value!);
        var pages = 1;
        while (round!.OdataNextLink is not null)
        {
            Assert.Null(round.OdataDeltaLink);
            round = await graph.Users.Delta.WithUrl(round.OdataNextLink).GetAsDeltaGetResponseAsync();
            seen.AddRange(round!.Value!);
            pages++;
        }
        Assert.Equal(2, pages);
        Assert.Equal(3, seen.Select(u => u.Id).Distinct().Count());
        Assert.NotNull(round.OdataDeltaLink);

        await graph.Users[a!.Id].PatchAsync(new User { DisplayName = "A changed" });
        await graph.Users[b!.Id].DeleteAsync();
        var changes = await graph.Users.Delta.WithUrl(round.OdataDeltaLink).GetAsDeltaGetResponseAsync();
        Assert.Equal(2, changes!.Value!.Count);
        Assert.Equal("A changed", changes.Value.Single(u => u.Id == a.Id).DisplayName);
        var removed = changes.Value.Single(u => u.Id == b.Id);
        Assert.True(removed.AdditionalData.ContainsKey("@removed"));
        Assert.NotNull(changes.OdataDeltaLink);

        var quiet = await graph.Users.Delta.WithUrl(changes.OdataDeltaLink).GetAsDeltaGetResponseAsync();
        Assert.Empty(quiet!.Value!);

        var token = await emulator.TokenAsync(tenantId, "https://graph.microsoft.com/.default");
        using var http = new HttpClient { BaseAddress = new Uri(emulator.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        foreach (var spelling in new[] { "delta", "delta()", "microsoft.graph.delta()" })
        {
            var response = await http.GetAsync($"/graph/v1.0/users/{spelling}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("@odata.deltaLink", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task AssignLicense_uses_microsofts_sku_ids_and_subscribedSkus_licenseDetails_and_domains_follow()
    {
        var (tenantId, domain, _) = await emulator.CreateCustomerAsync("graphlic");
        await emulator.BuyAsync(tenantId, Catalog.BusinessBasic, 1);
        var graph = emulator.Graph(tenantId);
        var user = await graph.Users.PostAsync(NewUser($"lic@{domain}"));
        // A fresh body per call: the SDK's backing store sends only changed values on a second send.
        static AssignLicensePostRequestBody Body() => new()
        {
            AddLicenses = [new AssignedLicense { SkuId = Catalog.BusinessBasicSku, DisabledPlans = [] }],
            RemoveLicenses = [],
        };

        var noLocation = await Assert.ThrowsAsync<ODataError>(() => graph.Users[user!.Id].AssignLicense.PostAsync(Body()));
        Assert.Equal(400, noLocation.ResponseStatusCode);
        Assert.Equal("License assignment cannot be done for user with invalid usage location.", noLocation.Error!.Message);

        await graph.Users[user!.Id].PatchAsync(new User { UsageLocation = "US" });
        var assigned = await graph.Users[user.Id].AssignLicense.PostAsync(Body());
        Assert.Equal(Catalog.BusinessBasicSku, Assert.Single(assigned!.AssignedLicenses!).SkuId);

        var details = await graph.Users[$"lic@{domain}"].LicenseDetails.GetAsync();
        Assert.Equal("O365_BUSINESS_ESSENTIALS", Assert.Single(details!.Value!).SkuPartNumber);

        var skus = await graph.SubscribedSkus.GetAsync();
        var sku = Assert.Single(skus!.Value!);
        Assert.Equal(Catalog.BusinessBasicSku, sku.SkuId);
        Assert.Equal(1, sku.ConsumedUnits);
        Assert.Equal(1, sku.PrepaidUnits!.Enabled);
        Assert.Equal($"{tenantId}_{Catalog.BusinessBasicSku}", sku.Id);

        var admin = (await graph.Users.GetAsync(r => r.QueryParameters.Filter = $"userPrincipalName eq 'admin@{domain}'"))!.Value!.Single();
        var exhausted = await Assert.ThrowsAsync<ODataError>(() => graph.Users[admin.Id].AssignLicense.PostAsync(Body()));
        Assert.Equal(400, exhausted.ResponseStatusCode);
        Assert.Equal("Request_BadRequest", exhausted.Error!.Code);
        Assert.Contains("does not have any available licenses", exhausted.Error.Message);

        var domains = await graph.Domains.GetAsync();
        var initial = Assert.Single(domains!.Value!);
        Assert.Equal(domain, initial.Id);
        Assert.True(initial.IsInitial);

        // Partner Center sees the Graph assignment.
        var (_, pcSkus) = await emulator.GetAsync($"/v1/customers/{tenantId}/subscribedskus");
        Assert.Equal(1, pcSkus.GetProperty("items")[0].GetProperty("consumedUnits").GetInt32());
    }

    [Fact]
    public async Task Malformed_and_wrongly_typed_Graph_bodies_get_400_in_the_Graph_shape_and_change_nothing()
    {
        var (tenantId, domain, _) = await emulator.CreateCustomerAsync("graphbad");
        using var http = new HttpClient { BaseAddress = new Uri(emulator.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", await emulator.TokenAsync(tenantId, "https://graph.microsoft.com/.default"));
        var wrongType = "{ \"accountEnabled\": \"yes\", \"displayName\": \"X\", \"mailNickname\": \"x\", \"userPrincipalName\": \"x@" + domain + "\", \"passwordProfile\": { \"password\": \"Aa1!aaaa\" } }";
        foreach (var body in new[] { "{ nope", wrongType })
        {
            var response = await http.PostAsync("/graph/v1.0/users", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            using var doc = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var error = doc.RootElement.GetProperty("error");
            Assert.False(string.IsNullOrEmpty(error.GetProperty("code").GetString()));
            Assert.True(error.GetProperty("innerError").TryGetProperty("request-id", out _));
        }
        var users = await emulator.Graph(tenantId).Users.GetAsync();
        Assert.Single(users!.Value!);
    }
}
