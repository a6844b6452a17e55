using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Skyport.Emulator.Tests;

/// <summary>
/// Entra's authorization code flow with PKCE and a second factor, the refresh grant, and Partner Center's App+User rules
/// (docs/microsoft-contract.md §1 and §2).
/// </summary>
[Collection(SharedEmulator.Name)]
public sealed partial class AppUserSignInTests(EmulatorFixture emulator)
{
    private const string RedirectUri = "https://skyport.example/partner-center/signed-in";
    private const string Scope = "https://api.partnercenter.microsoft.com/user_impersonation openid profile offline_access";
    private const string Verifier = "ThisIsntRandomButItNeedsToBe43CharactersLong-abc";

    [Fact]
    public async Task A_partner_user_signs_in_with_password_and_code_and_the_code_redeems_once_for_v1_tokens_with_mfa()
    {
        var (response, redirect) = await SignInAsync(Challenge(Verifier), "S256", state: "st-42");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(RedirectUri + "?", redirect.ToString());
        var query = System.Web.HttpUtility.ParseQueryString(redirect.Query);
        Assert.Equal("st-42", query["state"]);
        var code = query["code"]!;

        var redeemed = await RedeemAsync(code, Verifier);
        Assert.Equal(HttpStatusCode.OK, redeemed.StatusCode);
        using var body = JsonDocument.Parse(await redeemed.Content.ReadAsStringAsync());
        var claims = Claims(body.RootElement.GetProperty("access_token").GetString()!);
        Assert.Equal("1.0", claims.GetProperty("ver").GetString());
        Assert.Equal(["pwd", "mfa"], claims.GetProperty("amr").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(emulator.AdminAgent, claims.GetProperty("upn").GetString());
        Assert.Equal("user_impersonation", claims.GetProperty("scp").GetString());
        Assert.False(claims.TryGetProperty("roles", out _));
        var idToken = Claims(body.RootElement.GetProperty("id_token").GetString()!);
        Assert.Equal(emulator.AdminAgent, idToken.GetProperty("preferred_username").GetString());
        var clientInfo = JsonDocument.Parse(FromB64(body.RootElement.GetProperty("client_info").GetString()!)).RootElement;
        Assert.Equal(claims.GetProperty("oid").GetString(), clientInfo.GetProperty("uid").GetString());
        Assert.Equal(emulator.PartnerTenantId.ToString(), clientInfo.GetProperty("utid").GetString());
        Assert.StartsWith("rt.", body.RootElement.GetProperty("refresh_token").GetString());

        var again = await RedeemAsync(code, Verifier);
        await AssertEntraErrorAsync(again, "invalid_grant", 54005);
    }

    [Fact]
    public async Task A_plain_challenge_works_and_a_wrong_verifier_or_redirect_uri_is_refused()
    {
        var (_, redirect) = await SignInAsync(Verifier, "plain");
        var code = System.Web.HttpUtility.ParseQueryString(redirect.Query)["code"]!;
        await AssertEntraErrorAsync(await RedeemAsync(code, Verifier, redirectUri: "https://elsewhere.example/"), "invalid_grant", 50011);

        var (_, second) = await SignInAsync(Verifier, "plain");
        var secondCode = System.Web.HttpUtility.ParseQueryString(second.Query)["code"]!;
        await AssertEntraErrorAsync(await RedeemAsync(secondCode, "not-the-verifier-at-all-but-long-enough-to-pass-43"), "invalid_grant", 501481);

        var (_, third) = await SignInAsync(Verifier, "plain");
        Assert.Equal(HttpStatusCode.OK, (await RedeemAsync(System.Web.HttpUtility.ParseQueryString(third.Query)["code"]!, Verifier)).StatusCode);
    }

    [Fact]
    public async Task Authorize_refuses_an_unregistered_redirect_uri_on_its_own_page_and_other_errors_go_back_to_the_app()
    {
        await RegisterAsync();
        using var client = NoRedirects();
        var unregistered = await client.GetAsync(AuthorizeUrl(Challenge(Verifier), "S256", redirectUri: "https://evil.example/cb"));
        Assert.Equal(HttpStatusCode.BadRequest, unregistered.StatusCode);
        Assert.Contains("AADSTS50011", await unregistered.Content.ReadAsStringAsync());

        var token = await client.GetAsync(AuthorizeUrl(Challenge(Verifier), "S256", responseType: "token", state: "s1"));
        Assert.Equal(HttpStatusCode.Redirect, token.StatusCode);
        var query = System.Web.HttpUtility.ParseQueryString(token.Headers.Location!.Query);
        Assert.Equal("unsupported_response_type", query["error"]);
        Assert.Equal("s1", query["state"]);
        Assert.StartsWith("AADSTS", query["error_description"]);
    }

    [Fact]
    public async Task A_wrong_password_or_code_stays_on_the_page_and_cancel_answers_access_denied()
    {
        await RegisterAsync();
        using var client = NoRedirects();
        var page = await (await client.GetAsync(AuthorizeUrl(Challenge(Verifier), "S256", state: "c"))).Content.ReadAsStringAsync();
        var flow = FlowId(page);
        var wrong = await client.PostAsync(LoginUrl(), new FormUrlEncodedContent(new Dictionary<string, string> { ["flow"] = flow, ["username"] = emulator.AdminAgent, ["password"] = "nope" }));
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("AADSTS50126", await wrong.Content.ReadAsStringAsync());
        var password = await client.PostAsync(LoginUrl(), new FormUrlEncodedContent(new Dictionary<string, string> { ["flow"] = flow, ["username"] = emulator.AdminAgent, ["password"] = AdminPassword }));
        Assert.Contains("Verify your identity", await password.Content.ReadAsStringAsync());
        var wrongCode = await client.PostAsync(LoginUrl(), new FormUrlEncodedContent(new Dictionary<string, string> { ["flow"] = flow, ["otc"] = "000000x" }));
        Assert.Contains("AADSTS50181", await wrongCode.Content.ReadAsStringAsync());
        var cancel = await client.PostAsync(LoginUrl(), new FormUrlEncodedContent(new Dictionary<string, string> { ["flow"] = flow, ["cancel"] = "1" }));
        Assert.Equal(HttpStatusCode.Redirect, cancel.StatusCode);
        var query = System.Web.HttpUtility.ParseQueryString(cancel.Headers.Location!.Query);
        Assert.Equal("access_denied", query["error"]);
        Assert.Equal("c", query["state"]);
    }

    [Fact]
    public async Task Refresh_returns_a_new_refresh_token_and_the_old_one_keeps_working_until_revoked()
    {
        var user = await CreateUserAsync(["Admin agent"]);
        var first = await emulator.RefreshTokenAsync(user);
        var refreshed = await emulator.RedeemRefreshTokenAsync(emulator.PartnerTenantId, first, "https://api.partnercenter.microsoft.com/user_impersonation");
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        using var body = JsonDocument.Parse(await refreshed.Content.ReadAsStringAsync());
        var second = body.RootElement.GetProperty("refresh_token").GetString()!;
        Assert.NotEqual(first, second);
        // refresh-tokens: "The Microsoft identity platform doesn't revoke old refresh tokens when used to fetch new access tokens."
        Assert.Equal(HttpStatusCode.OK, (await emulator.RedeemRefreshTokenAsync(emulator.PartnerTenantId, first, "https://api.partner.microsoft.com/user_impersonation")).StatusCode);

        using var control = new HttpClient();
        Assert.Equal(HttpStatusCode.NoContent, (await control.PostAsync($"{emulator.BaseUrl}/_emulator/partner/users/{user}/revoke", null)).StatusCode);
        await AssertEntraErrorAsync(await emulator.RedeemRefreshTokenAsync(emulator.PartnerTenantId, first, "https://api.partnercenter.microsoft.com/user_impersonation"), "invalid_grant", 50173);
        await AssertEntraErrorAsync(await emulator.RedeemRefreshTokenAsync(emulator.PartnerTenantId, second, "https://api.partnercenter.microsoft.com/user_impersonation"), "invalid_grant", 50173);
        Assert.Equal(HttpStatusCode.OK, (await emulator.RedeemRefreshTokenAsync(emulator.PartnerTenantId, await emulator.RefreshTokenAsync(user), "https://api.partnercenter.microsoft.com/user_impersonation")).StatusCode);
    }

    [Fact]
    public async Task A_refresh_token_expires_after_90_days_on_the_emulators_clock()
    {
        // Its own emulator: moving the clock 91 days would renew the shared emulator's subscriptions under other tests.
        var own = new EmulatorFixture();
        await own.InitializeAsync();
        try
        {
            var token = await own.RefreshTokenAsync();
            await own.AdvanceAsync(89);
            Assert.Equal(HttpStatusCode.OK, (await own.RedeemRefreshTokenAsync(own.PartnerTenantId, token, EmulatorFixture.PartnerCenterUserScope)).StatusCode);
            await own.AdvanceAsync(2);
            await AssertEntraErrorAsync(await own.RedeemRefreshTokenAsync(own.PartnerTenantId, token, EmulatorFixture.PartnerCenterUserScope), "invalid_grant", 700082);
        }
        finally
        {
            await own.DisposeAsync();
        }
    }

    public static TheoryData<string, string> AppUserRoutes => new()
    {
        { "GET", "/v1/customers/{customer}/users" },
        { "POST", "/v1/customers/{customer}/users" },
        { "GET", "/v1/customers/{customer}/users/{user}" },
        { "PATCH", "/v1/customers/{customer}/users/{user}" },
        { "DELETE", "/v1/customers/{customer}/users/{user}" },
        { "GET", "/v1/customers/{customer}/users/{user}/licenses" },
        { "POST", "/v1/customers/{customer}/users/{user}/licenseupdates" },
        { "GET", "/v1/customers/{customer}/subscribedskus" },
        { "GET", "/v1/customers/{customer}/profiles/company" },
        { "GET", "/v1/customers/relationshiprequests" },
        { "GET", "/v1/invoices/{invoice}" },
    };

    [Theory]
    [MemberData(nameof(AppUserRoutes))]
    public async Task An_app_only_token_is_refused_on_each_App_User_route_with_403_900329(string method, string route)
    {
        var (customerId, _, _) = await emulator.CreateCustomerAsync("apponly");
        var path = route.Replace("{customer}", customerId.ToString()).Replace("{user}", Guid.NewGuid().ToString()).Replace("{invoice}", "G000000001");
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PATCH") request.Content = JsonContent.Create(new { });
        var response = await emulator.AppOnlyHttp.SendAsync(request);
        await AssertPcErrorAsync(response, HttpStatusCode.Forbidden, 900329);

        // The same token still works where Microsoft accepts app-only tokens.
        Assert.Equal(HttpStatusCode.OK, (await emulator.AppOnlyHttp.GetAsync($"/v1/customers/{customerId}")).StatusCode);
    }

    [Fact]
    public async Task The_price_sheet_refuses_app_only_tokens_and_partner_users_outside_Admin_and_Sales_agent()
    {
        const string path = "/v1.0/sales/pricesheets(Market='US',PricesheetView='updatedlicensebased')/$value";
        const string scope = "https://api.partner.microsoft.com/.default";
        await AssertPcErrorAsync(await SendAsync(path, await emulator.TokenAsync(emulator.PartnerTenantId, scope)), HttpStatusCode.Forbidden, 900329);
        var helpdesk = await CreateUserAsync(["Helpdesk agent"]);
        await AssertPcErrorAsync(await SendAsync(path, await emulator.UserTokenAsync(emulator.PartnerTenantId, scope, helpdesk)), HttpStatusCode.Forbidden, 900308);
        var sales = await CreateUserAsync(["Sales agent"]);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(path, await emulator.UserTokenAsync(emulator.PartnerTenantId, scope, sales))).StatusCode);
    }

    [Fact]
    public async Task An_App_User_token_without_mfa_is_refused_with_401_900421()
    {
        var (customerId, _, _) = await emulator.CreateCustomerAsync("nomfa");
        var token = await emulator.UserTokenAsync(emulator.PartnerTenantId, EmulatorFixture.PartnerCenterUserScope, mfa: false);
        Assert.Equal(["pwd"], Claims(token).GetProperty("amr").EnumerateArray().Select(a => a.GetString()));
        await AssertPcErrorAsync(await SendAsync($"/v1/customers/{customerId}/users", token), HttpStatusCode.Unauthorized, 900421);
        await AssertPcErrorAsync(await SendAsync($"/v1/customers/{customerId}", token), HttpStatusCode.Unauthorized, 900421);
    }

    private const string AdminPassword = Skyport.PartnerCenterEmulator.EmulatorOptions.DefaultAdminAgentPassword;

    private async Task<HttpResponseMessage> SendAsync(string path, string token)
    {
        using var client = new HttpClient { BaseAddress = new Uri(emulator.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.GetAsync(path);
    }

    private async Task<string> CreateUserAsync(string[] roles)
    {
        var upn = EmulatorFixture.UniquePrefix("agent") + "@skyportpartner.onmicrosoft.com";
        var (response, _) = await emulator.PostAsync("/_emulator/partner/users", new { userPrincipalName = upn, password = "Agent-Pass-1!", roles });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return upn;
    }

    private async Task RegisterAsync()
    {
        var (response, _) = await emulator.PostAsync("/_emulator/app/redirect-uris", new { redirectUri = RedirectUri });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Runs the sign-in page as a browser would: authorize, password, one-time code; returns the redirect back.</summary>
    private async Task<(HttpResponseMessage Response, Uri Redirect)> SignInAsync(string challenge, string method, string? state = null)
    {
        await RegisterAsync();
        using var client = NoRedirects();
        var page = await client.GetAsync(AuthorizeUrl(challenge, method, state: state));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var flow = FlowId(await page.Content.ReadAsStringAsync());
        var afterPassword = await client.PostAsync(LoginUrl(), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["flow"] = flow, ["username"] = emulator.AdminAgent.ToUpperInvariant(), ["password"] = AdminPassword,
        }));
        Assert.Contains("Verify your identity", await afterPassword.Content.ReadAsStringAsync());
        var (_, code) = await emulator.GetAsync($"/_emulator/partner/users/{emulator.AdminAgent}/mfa-code");
        var done = await client.PostAsync(LoginUrl(), new FormUrlEncodedContent(new Dictionary<string, string> { ["flow"] = flow, ["otc"] = code.GetProperty("code").GetString()! }));
        return (done, done.Headers.Location!);
    }

    private async Task<HttpResponseMessage> RedeemAsync(string code, string verifier, string redirectUri = RedirectUri)
    {
        using var client = new HttpClient();
        return await client.PostAsync($"{emulator.BaseUrl}/{emulator.PartnerTenantId}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = "skyport-tests",
            ["client_secret"] = "secret",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = verifier,
            ["scope"] = Scope,
        }));
    }

    private string AuthorizeUrl(string challenge, string method, string responseType = "code", string? state = null, string redirectUri = RedirectUri) =>
        $"{emulator.BaseUrl}/{emulator.PartnerTenantId}/oauth2/v2.0/authorize?client_id=skyport-tests&response_type={responseType}" +
        $"&redirect_uri={Uri.EscapeDataString(redirectUri)}&scope={Uri.EscapeDataString(Scope)}&code_challenge={challenge}&code_challenge_method={method}" +
        (state is null ? "" : "&state=" + state);

    private string LoginUrl() => $"{emulator.BaseUrl}/{emulator.PartnerTenantId}/oauth2/v2.0/login";

    private static HttpClient NoRedirects() => new(new HttpClientHandler { AllowAutoRedirect = false });

    private static string FlowId(string html) => FlowField().Match(html).Groups[1].Value;

    [GeneratedRegex("name=\"flow\" value=\"([^\"]+)\"")]
    private static partial Regex FlowField();

    private static string Challenge(string verifier) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static JsonElement Claims(string jwt) => JsonDocument.Parse(FromB64(jwt.Split('.')[1])).RootElement.Clone();

    private static byte[] FromB64(string s)
    {
        s = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }

    private static async Task AssertEntraErrorAsync(HttpResponseMessage response, string error, int code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        using var body = JsonDocument.Parse(text);
        Assert.Equal(error, body.RootElement.GetProperty("error").GetString());
        Assert.Equal(code, body.RootElement.GetProperty("error_codes")[0].GetInt32());
        Assert.StartsWith($"AADSTS{code}:", body.RootElement.GetProperty("error_description").GetString());
    }

    private static async Task AssertPcErrorAsync(HttpResponseMessage response, HttpStatusCode status, int code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {text}");
        using var body = JsonDocument.Parse(text);
        Assert.Equal(code, body.RootElement.GetProperty("code").GetInt32());
        Assert.Equal("PartnerFD", body.RootElement.GetProperty("source").GetString());
    }
}
