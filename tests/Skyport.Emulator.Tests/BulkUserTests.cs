using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Skyport.PartnerCenterEmulator;

namespace Skyport.Emulator.Tests;

/// <summary>The control plane's bulk user seeding, and the indexed user name lookups it depends on.</summary>
[Collection(SharedEmulator.Name)]
public sealed class BulkUserTests(EmulatorFixture emulator)
{
    private const string Password = "Bulk-Users-2026";

    private Task<(HttpResponseMessage Response, JsonElement Body)> BulkAsync(object tenant, object body) =>
        emulator.PostAsync($"/_emulator/tenants/{tenant}/users/bulk", body);

    [Fact]
    public async Task Bulk_users_are_listed_by_graph_paging_delta_and_partner_center_and_can_sign_in()
    {
        var (tenantId, domain, _) = await emulator.CreateCustomerAsync("bulk");
        var (response, body) = await BulkAsync(tenantId, new { count = 1_500, prefix = "staff", usageLocation = "de", password = Password });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(1_500, body.GetProperty("count").GetInt32());
        var made = body.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("userPrincipalName").GetString()).ToList();
        Assert.Equal($"staff00001@{domain}", made[0]);
        Assert.Equal($"staff01500@{domain}", made[^1]);

        var graph = emulator.Graph(tenantId);
        var first = await graph.Users.GetAsync(r => { r.QueryParameters.Top = 999; r.QueryParameters.Select = ["id", "userPrincipalName", "usageLocation"]; });
        var listed = new List<User>();
        await PageIterator<User, UserCollectionResponse>.CreatePageIterator(graph, first!, u => { listed.Add(u); return true; }).IterateAsync();
        Assert.Equal(1_501, listed.Select(u => u.Id).Distinct().Count()); // the administrator and the 1,500
        Assert.Equal("DE", listed.Single(u => u.UserPrincipalName == $"staff00750@{domain}").UsageLocation);

        var round = await graph.Users.Delta.GetAsDeltaGetResponseAsync(r => r.Headers.Add("Prefer", "odata.maxpagesize=999"));
        var seen = new List<User>(round!.Value!);
        var pages = 1;
        while (round!.OdataNextLink is not null)
        {
            Assert.Equal(999, round.Value!.Count);
            round = await graph.Users.Delta.WithUrl(round.OdataNextLink).GetAsDeltaGetResponseAsync(r => r.Headers.Add("Prefer", "odata.maxpagesize=999"));
            seen.AddRange(round!.Value!);
            pages++;
        }
        Assert.Equal(2, pages);
        Assert.Equal(1_501, seen.Select(u => u.Id).Distinct().Count());
        Assert.NotNull(round.OdataDeltaLink);

        var partnerCenter = new List<string>();
        var (page, pcBody) = await emulator.GetAsync($"/v1/customers/{tenantId}/users?size=500");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        partnerCenter.AddRange(pcBody.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("id").GetString()!));
        while (pcBody.TryGetProperty("continuationToken", out var token) && token.ValueKind == JsonValueKind.String)
        {
            (page, pcBody) = await emulator.SendAsync(HttpMethod.Get, $"/v1/customers/{tenantId}/users?size=500&seekOperation=Next",
                headers: new Dictionary<string, string> { ["MS-ContinuationToken"] = token.GetString()! });
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            partnerCenter.AddRange(pcBody.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("id").GetString()!));
        }
        Assert.Equal(1_501, partnerCenter.Distinct().Count());

        var byName = await graph.Users[$"STAFF01234@{domain.ToUpperInvariant()}"].GetAsync();
        Assert.Equal($"staff01234@{domain}", byName!.UserPrincipalName);
        var (signin, _) = await emulator.PostAsync("/_emulator/signin", new { userPrincipalName = $"Staff00042@{domain}", password = Password });
        Assert.Equal(HttpStatusCode.OK, signin.StatusCode);
    }

    [Fact]
    public async Task User_names_made_in_bulk_are_refused_again_in_any_case_by_both_apis_and_by_another_bulk()
    {
        var (tenantId, domain, _) = await emulator.CreateCustomerAsync("bulkdup");
        Assert.Equal(HttpStatusCode.Created, (await BulkAsync(domain, new { count = 20 })).Response.StatusCode);

        var (pc, pcBody) = await emulator.PostAsync($"/v1/customers/{tenantId}/users", new
        {
            userPrincipalName = $"USER00007@{domain.ToUpperInvariant()}",
            displayName = "Again",
            passwordProfile = new { password = Password, forceChangePassword = true },
        });
        Assert.Equal(HttpStatusCode.BadRequest, pc.StatusCode);
        Assert.Contains("same value for property userPrincipalName", pcBody.GetProperty("description").GetString());

        var graph = emulator.Graph(tenantId);
        var created = await Assert.ThrowsAsync<ODataError>(() => graph.Users.PostAsync(new User
        {
            AccountEnabled = true,
            DisplayName = "Again",
            MailNickname = "User00013",
            UserPrincipalName = $"User00013@{domain}",
            PasswordProfile = new PasswordProfile { Password = Password },
        }));
        Assert.Equal("Another object with the same value for property userPrincipalName already exists.", created.Error!.Message);
        var renamed = await Assert.ThrowsAsync<ODataError>(() => graph.Users[$"user00001@{domain}"].PatchAsync(new User { UserPrincipalName = $"uSeR00002@{domain}" }));
        Assert.Equal(400, renamed.ResponseStatusCode);

        var (again, againBody) = await BulkAsync(tenantId, new { count = 30 });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains($"user00001@{domain}", againBody.GetProperty("detail").GetString());
        var (_, state) = await emulator.GetAsync("/_emulator/state");
        var tenant = state.GetProperty("tenants").EnumerateArray().Single(t => t.GetProperty("id").GetGuid() == tenantId);
        Assert.Equal(21, tenant.GetProperty("users").GetArrayLength()); // nothing of the refused bulk was kept

        // A name freed by a rename can be taken by a new user.
        await graph.Users[$"user00003@{domain}"].PatchAsync(new User { UserPrincipalName = $"renamed@{domain}" });
        Assert.NotNull(await graph.Users.PostAsync(new User
        {
            AccountEnabled = true,
            DisplayName = "New three",
            MailNickname = "user00003",
            UserPrincipalName = $"USER00003@{domain}",
            PasswordProfile = new PasswordProfile { Password = Password },
        }));
    }

    [Fact]
    public async Task Bulk_users_get_licenses_only_with_a_usage_location_and_enough_free_seats()
    {
        var (tenantId, _, _) = await emulator.CreateCustomerAsync("bulklic");
        await emulator.BuyAsync(tenantId, Catalog.BusinessBasic, 5);
        var sku = Catalog.BusinessBasicSku.ToString();

        var (noLocation, noLocationBody) = await BulkAsync(tenantId, new { count = 3, licenses = new[] { sku } });
        Assert.Equal(HttpStatusCode.BadRequest, noLocation.StatusCode);
        Assert.Contains("usage location", noLocationBody.GetProperty("detail").GetString());

        Assert.Equal(HttpStatusCode.Created, (await BulkAsync(tenantId, new { count = 3, usageLocation = "US", licenses = new[] { sku } })).Response.StatusCode);
        var (_, skus) = await emulator.GetAsync($"/v1/customers/{tenantId}/subscribedskus");
        Assert.Equal(3, skus.GetProperty("items")[0].GetProperty("consumedUnits").GetInt32());

        var (full, fullBody) = await BulkAsync(tenantId, new { count = 3, prefix = "more", usageLocation = "US", licenses = new[] { sku } });
        Assert.Equal(HttpStatusCode.BadRequest, full.StatusCode);
        Assert.Contains("2 free, 3 asked", fullBody.GetProperty("detail").GetString());
        var (unknown, unknownBody) = await BulkAsync(tenantId, new { count = 1, prefix = "pbi", usageLocation = "US", licenses = new[] { Catalog.PowerBiProSku.ToString() } });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("does not correspond to a valid company License", unknownBody.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("{}", "count is required")]
    [InlineData("{\"count\":0}", "count must be between 1 and 50000")]
    [InlineData("{\"count\":50001}", "count must be between 1 and 50000")]
    [InlineData("{\"count\":\"ten\"}", "count must be an integer")]
    [InlineData("[1,2]", "The body must be")]
    [InlineData("{\"count\":2,\"prefix\":\"two words\"}", "does not make valid user names")]
    [InlineData("{\"count\":2,\"usageLocation\":\"DEU\"}", "two-letter country code")]
    [InlineData("{\"count\":2,\"password\":\"short\"}", "password complexity")]
    [InlineData("{\"count\":2,\"licenses\":[\"not-a-sku\"]}", "licenses must hold Graph SKU ids")]
    [InlineData("{\"count\":2,\"licenses\":\"all\"}", "licenses must be an array")]
    public async Task Bad_bulk_requests_are_refused_with_a_problem_saying_why(string json, string expected)
    {
        var (tenantId, _, _) = await emulator.CreateCustomerAsync("bulkbad");
        var (response, body) = await BulkAsync(tenantId, json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Bulk_users_go_only_into_a_known_customer_tenant()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await BulkAsync(Guid.NewGuid(), new { count = 1 })).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await BulkAsync("nobody.onmicrosoft.com", new { count = 1 })).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await BulkAsync(emulator.PartnerTenantId, new { count = 1 })).Response.StatusCode);

        // A tenant that is not yet the partner's customer can be filled before its relationship is accepted.
        var domain = EmulatorFixture.UniquePrefix("bulkpending") + ".onmicrosoft.com";
        Assert.Equal(HttpStatusCode.Created, (await emulator.PostAsync("/_emulator/tenants", new { domain, companyName = "Pending" })).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await BulkAsync(domain, new { count = 2 })).Response.StatusCode);
    }

    [Fact]
    public async Task A_state_file_from_before_the_indexed_user_name_is_upgraded_at_start()
    {
        var path = Path.Combine(Path.GetTempPath(), $"emulator-upgrade-{Guid.NewGuid():N}.db");
        try
        {
            var options = new EmulatorOptions { StatePath = path, MinimumLogLevel = LogLevel.Warning };
            await using (var first = EmulatorApp.Create([], options))
            {
                await first.StartAsync();
                await first.StopAsync();
            }
            using (var connection = new SqliteConnection($"Data Source={path}"))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                // The shape an older emulator left behind: no normalized column, the old index, one user.
                command.CommandText = """
                    DROP INDEX "IX_Users_NormalizedUpn_TenantId";
                    ALTER TABLE "Users" DROP COLUMN "NormalizedUpn";
                    CREATE INDEX "IX_Users_TenantId_UserPrincipalName" ON "Users" ("TenantId", "UserPrincipalName");
                    INSERT INTO "Users" ("Id", "TenantId", "Seq", "Version", "UserPrincipalName", "DisplayName", "AccountEnabled", "Password", "ForceChangePassword", "State", "Licenses", "CreatedAt")
                    VALUES ('0F8FAD5B-D9CB-469F-A165-70867728950E', '7F3C6A2E-5B1D-4C8E-9A0F-2D4B6E8C1A35', 1, 1, 'Old.Admin@skyportpartner.onmicrosoft.com', 'Old', 1, 'Old-Password-2026', 0, 'active', '[]', '2026-01-01 00:00:00');
                    """;
                command.ExecuteNonQuery();
            }
            SqliteConnection.ClearAllPools();
            await using var second = EmulatorApp.Create([], options);
            second.Urls.Add("http://127.0.0.1:0");
            await second.StartAsync();
            var baseUrl = second.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First();
            using var client = new HttpClient { BaseAddress = new Uri(baseUrl) };
            var signin = await client.PostAsync("/_emulator/signin", new StringContent(
                JsonSerializer.Serialize(new { userPrincipalName = "old.admin@SKYPORTPARTNER.onmicrosoft.com", password = "Old-Password-2026" }),
                System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, signin.StatusCode);
            await second.StopAsync();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }
}
