using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.PartnerCenter;
using Skyport.PartnerCenterEmulator;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.PartnerCenterConnection;

public sealed class ConnectPartnerCenterOnSqlite(SqliteSkyport app) : ConnectPartnerCenterTests(app), IClassFixture<SqliteSkyport>;

public sealed class ConnectPartnerCenterOnPostgres(PostgresSkyport app) : ConnectPartnerCenterTests(app), IClassFixture<PostgresSkyport>;

/// <summary>
/// Connect Partner Center: the partner application's settings (the secret never shown again), "Sign in with Microsoft"
/// through the emulator's Entra sign-in page (password, then the one-time code) and back, MSAL's cache kept encrypted,
/// and a refused refresh asking for a new sign-in.
/// </summary>
public abstract partial class ConnectPartnerCenterTests(SkyportApp app)
{
    private string EmulatorUrl => app.Services.GetRequiredService<EmbeddedEmulator>().BaseUrl;
    private static readonly string AdminAgent = new EmulatorOptions().AdminAgentUserPrincipalName;

    [Fact]
    public async Task A_broker_signs_in_with_Microsoft_on_the_sign_in_page_and_comes_back_connected()
    {
        var browser = await BrokerAsync();
        var start = await browser.GetAsync("/partner-center?handler=SignIn");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var authorize = start.Headers.Location!;
        Assert.StartsWith($"{EmulatorUrl}/{EmulatorOptions.DefaultPartnerTenantId}/oauth2/v2.0/authorize?", authorize.ToString());
        var query = System.Web.HttpUtility.ParseQueryString(authorize.Query);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal("http://localhost/partner-center/signed-in", query["redirect_uri"]);

        var callback = await SignInOnEmulatorAsync(authorize);
        var back = await browser.GetAsync(callback.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        var page = await browser.PageAsync("/partner-center");
        Assert.Contains($"Signed in to Partner Center as {AdminAgent}.", page);
        Assert.Contains("Partner admin agent (" + AdminAgent + ")", page);
        Assert.Matches(@"Sign in again by</dt>\s*<dd>\d{4}-\d{2}-\d{2}", page);

        // The callback redeems once: coming back again with the same code is refused, not a second sign-in.
        Assert.Contains("not started here", await browser.PageAsync(callback.PathAndQuery));

        // MSAL's cache (with the refresh token) is stored encrypted: nothing of it reads in clear.
        var row = await ConnectionRowAsync();
        Assert.NotNull(row.ProtectedTokenCache);
        Assert.DoesNotContain("RefreshToken", row.ProtectedTokenCache);
        Assert.DoesNotContain("rt.", row.ProtectedTokenCache);
        var opened = System.Text.Encoding.UTF8.GetString(app.Services.GetRequiredService<IDataProtectionProvider>()
            .CreateProtector("Skyport.PartnerCenter.Connection.v1").Unprotect(Convert.FromBase64String(row.ProtectedTokenCache!)));
        Assert.Contains("\"RefreshToken\"", opened);
    }

    [Fact]
    public async Task Saving_the_settings_keeps_the_secret_encrypted_and_never_shows_it_again()
    {
        var browser = await BrokerAsync();
        const string secret = "skyport-emulator-secret"; // what the embedded emulator accepts: saving it keeps Skyport connected
        var bad = await browser.SubmitAsync("/partner-center", new Dictionary<string, string>
        {
            ["Input.TenantId"] = "not a tenant", ["Input.ClientId"] = "skyport", ["Input.ClientSecret"] = secret,
        }, handler: "Save");
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        var badPage = await bad.Content.ReadAsStringAsync();
        Assert.Contains("Enter the partner tenant", badPage);
        Assert.DoesNotContain(secret, badPage);

        var saved = await browser.SubmitAsync("/partner-center", new Dictionary<string, string>
        {
            ["Input.TenantId"] = EmulatorOptions.DefaultPartnerTenantId.ToString(), ["Input.ClientId"] = "skyport", ["Input.ClientSecret"] = secret,
        }, handler: "Save");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var page = await browser.PageAsync("/partner-center");
        Assert.Contains("Partner Center settings saved.", page);
        Assert.Contains("A secret is saved and is never shown again", page);
        Assert.DoesNotContain(secret, page);
        var row = await ConnectionRowAsync();
        Assert.Equal("skyport", row.ClientId);
        Assert.DoesNotContain(secret, row.ProtectedClientSecret!);

        // An empty secret keeps the saved one, and the partner's calls still go through with it.
        await browser.SubmitAsync("/partner-center", new Dictionary<string, string>
        {
            ["Input.TenantId"] = EmulatorOptions.DefaultPartnerTenantId.ToString(), ["Input.ClientId"] = "skyport", ["Input.ClientSecret"] = "",
        }, handler: "Save");
        Assert.Equal(row.ProtectedClientSecret, (await ConnectionRowAsync()).ProtectedClientSecret);
        var tokens = app.Services.GetRequiredService<EntraTokenProvider>();
        tokens.Forget();
        Assert.Equal(secret, (await tokens.SettingsAsync()).ClientSecret);
    }

    [Fact]
    public async Task A_refresh_Entra_refuses_asks_the_broker_to_sign_in_again()
    {
        var tokens = app.Services.GetRequiredService<EntraTokenProvider>();
        var tenant = EmulatorOptions.DefaultPartnerTenantId.ToString();
        await tokens.GetTokenAsync(TokenKind.AppUser, tenant, PartnerCenterOptions.PartnerCenterUserScope);
        using (var control = new HttpClient())
        {
            (await control.PostAsync($"{EmulatorUrl}/_emulator/partner/users/{AdminAgent}/revoke", null)).EnsureSuccessStatusCode();
        }
        // A resource not asked for yet: MSAL has no access token for it and must use the (revoked) refresh token.
        var refused = await Assert.ThrowsAsync<PartnerCenterSignInRequiredException>(() =>
            tokens.GetTokenAsync(TokenKind.AppUser, tenant, "https://graph.microsoft.com/User.Read"));
        Assert.Contains("AADSTS50173", refused.Message);

        var browser = await BrokerAsync();
        var page = await browser.PageAsync("/partner-center");
        Assert.Contains("Partner Center needs a new sign-in", page);

        // Signing in again mends it.
        var start = await browser.GetAsync("/partner-center?handler=SignIn");
        var callback = await SignInOnEmulatorAsync(start.Headers.Location!);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(callback.PathAndQuery)).StatusCode);
        Assert.DoesNotContain("Partner Center needs a new sign-in", await browser.PageAsync("/partner-center"));
        Assert.NotEmpty(await tokens.GetTokenAsync(TokenKind.AppUser, tenant, "https://graph.microsoft.com/User.Read"));
    }

    [Fact]
    public async Task Only_broker_administrators_open_the_page()
    {
        foreach (var login in new[] { DemoData.Reseller, DemoData.Customer })
        {
            var browser = new Browser(app);
            await browser.SignInAsync(login.Email, login.Password);
            var response = await browser.GetAsync("/partner-center");
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain("Sign in with Microsoft", await response.Content.ReadAsStringAsync());
        }
    }

    private async Task<Browser> BrokerAsync()
    {
        var browser = new Browser(app);
        await browser.SignInAsync(DemoData.Broker.Email, DemoData.Broker.Password);
        return browser;
    }

    /// <summary>The emulator's Entra sign-in page, as the partner's Admin agent fills it in: password, then the one-time code.</summary>
    private async Task<Uri> SignInOnEmulatorAsync(Uri authorize)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var page = await http.GetStringAsync(authorize);
        var flow = FlowField().Match(page).Groups[1].Value;
        var login = new Uri(authorize, "login");
        var password = await http.PostAsync(login, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["flow"] = flow, ["username"] = AdminAgent, ["password"] = EmulatorOptions.DefaultAdminAgentPassword,
        }));
        Assert.Contains("Verify your identity", await password.Content.ReadAsStringAsync());
        using var code = JsonDocument.Parse(await http.GetStringAsync($"{EmulatorUrl}/_emulator/partner/users/{AdminAgent}/mfa-code"));
        var done = await http.PostAsync(login, new FormUrlEncodedContent(new Dictionary<string, string> { ["flow"] = flow, ["otc"] = code.RootElement.GetProperty("code").GetString()! }));
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        return done.Headers.Location!;
    }

    private Task<Skyport.Features.PartnerCenterConnection.PartnerConnection> ConnectionRowAsync() =>
        app.InScopeAsync(services => services.GetRequiredService<SkyportDbContext>().PartnerCenterConnections.AsNoTracking().SingleAsync());

    [GeneratedRegex("name=\"flow\" value=\"([^\"]+)\"")]
    private static partial Regex FlowField();
}
