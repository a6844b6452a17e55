using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Skyport.PartnerCenterEmulator;

namespace Skyport.Emulator.Tests;

[Collection(SharedEmulator.Name)]
public sealed class ControlPlaneTests(EmulatorFixture emulator)
{
    [Fact]
    public async Task Inspection_page_lists_tenants_and_its_form_creates_a_user_in_Partner_Center()
    {
        var (customerId, domain, _) = await emulator.CreateCustomerAsync("page");
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(emulator.BaseUrl) };
        var page = await browser.GetStringAsync("/_emulator/");
        Assert.Contains(domain, page);
        Assert.Contains("Create user", page);

        var post = await browser.PostAsync("/_emulator/users", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["tenantId"] = customerId.ToString(), ["userName"] = "walkin", ["displayName"] = "Walk In", ["usageLocation"] = "us", ["password"] = "Walk-in-2026",
        }));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        var (_, users) = await emulator.GetAsync($"/v1/customers/{customerId}/users");
        Assert.Contains($"walkin@{domain}", users.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("userPrincipalName").GetString()));

        var weak = await browser.PostAsync("/_emulator/users", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["tenantId"] = customerId.ToString(), ["userName"] = "weak", ["displayName"] = "Weak", ["password"] = "weak",
        }));
        Assert.Contains("password", Uri.UnescapeDataString(weak.Headers.Location!.ToString()));
    }

    [Fact]
    public async Task State_and_clock_are_inspectable_and_bad_clock_requests_are_refused()
    {
        var (_, state) = await emulator.GetAsync("/_emulator/state");
        Assert.Contains(state.GetProperty("tenants").EnumerateArray(), t => t.GetProperty("isPartner").GetBoolean());
        var (bad, _) = await emulator.SendAsync(HttpMethod.Put, "/_emulator/clock", new { now = "yesterday-ish" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var (negative, _) = await emulator.PostAsync("/_emulator/clock/advance", new { days = -1 });
        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
        var (partner, body) = await emulator.GetAsync("/_emulator/partner");
        Assert.Equal(HttpStatusCode.OK, partner.StatusCode);
        Assert.Equal(emulator.PartnerTenantId, body.GetProperty("tenantId").GetGuid());
    }

    [Fact]
    public async Task A_restart_on_the_same_SQLite_file_keeps_tenants_and_the_clock()
    {
        var path = Path.Combine(Path.GetTempPath(), $"emulator-{Guid.NewGuid():N}.db");
        try
        {
            var options = new EmulatorOptions { StatePath = path, MinimumLogLevel = LogLevel.Warning, InitialClock = new DateTimeOffset(2030, 5, 1, 0, 0, 0, TimeSpan.Zero) };
            string customerId;
            await using (var first = EmulatorApp.Create([], options))
            {
                var (client, _) = await StartAsync(first);
                var response = await client.PostAsync("/v1/customers", JsonContent(EmulatorFixture.CustomerBody(EmulatorFixture.UniquePrefix("restart") + ".onmicrosoft.com")));
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                customerId = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
                await first.StopAsync();
            }
            await using var second = EmulatorApp.Create([], options with { InitialClock = null });
            var (again, baseUrl) = await StartAsync(second);
            Assert.Equal(HttpStatusCode.OK, (await again.GetAsync($"/v1/customers/{customerId}")).StatusCode);
            var clock = JsonDocument.Parse(await again.GetStringAsync("/_emulator/clock")).RootElement.GetProperty("now").GetDateTimeOffset();
            Assert.Equal(2030, clock.Year);
            await second.StopAsync();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }

    private static StringContent JsonContent(object body) => new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    private static async Task<(HttpClient Client, string BaseUrl)> StartAsync(Microsoft.AspNetCore.Builder.WebApplication app)
    {
        app.Urls.Add("http://127.0.0.1:0");
        await app.StartAsync();
        var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var client = new HttpClient { BaseAddress = new Uri(baseUrl) };
        var token = await client.PostAsync($"/{EmulatorOptions.DefaultPartnerTenantId}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "c", ["client_secret"] = "s", ["scope"] = "https://api.partnercenter.microsoft.com/.default",
        }));
        var accessToken = JsonDocument.Parse(await token.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return (client, baseUrl);
    }
}
