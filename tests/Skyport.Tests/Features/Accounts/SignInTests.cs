using System.Net;
using Skyport.Data;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Accounts;

public sealed class SignInTests(SqliteSkyport app) : IClassFixture<SqliteSkyport>
{
    [Fact]
    public async Task Pages_ask_for_sign_in_and_the_api_answers_401_problems()
    {
        var anonymous = app.Anonymous();
        var page = await anonymous.GetAsync("/organization");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/login", page.Headers.Location!.PathAndQuery);

        var api = await anonymous.GetAsync("/api/v1/organizations");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType!.MediaType);

        var badKey = await app.WithKey("sk_not_a_key").GetAsync("/api/v1/organizations");
        Assert.Equal(HttpStatusCode.Unauthorized, badKey.StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_five_in_a_row_lock_the_account()
    {
        var email = $"admin-{Guid.NewGuid():N}@lockout.example";
        await A.Reseller().WithAdministrator(email).CreateAsync(app);
        var browser = new Browser(app);
        var fields = new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = "Wrong-password-1" };

        var first = await browser.SubmitAsync("/account/login", fields);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("The email or password is not right.", await first.Content.ReadAsStringAsync());
        for (var i = 0; i < 4; i++)
        {
            await browser.SubmitAsync("/account/login", fields);
        }

        var locked = await browser.SubmitAsync("/account/login", fields);
        Assert.Contains("locked after too many failed attempts", await locked.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Forms_without_the_antiforgery_token_are_refused()
    {
        var response = await app.Anonymous().PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = DemoData.Broker.Email,
            ["Input.Password"] = DemoData.Broker.Password,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task An_api_key_is_shown_once_works_as_its_user_and_stops_working_when_revoked()
    {
        var browser = new Browser(app);
        await browser.SignInAsync(DemoData.Reseller.Email, DemoData.Reseller.Password);

        var created = await browser.SubmitAsync("/account/profile", new Dictionary<string, string> { ["Name"] = "Nightly export" }, handler: "Create");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var profile = await browser.PageAsync("/account/profile");
        var secret = System.Text.RegularExpressions.Regex.Match(profile, "aria-label=\"New API key\">(sk_[^<]+)<").Groups[1].Value;
        Assert.StartsWith("sk_", secret);
        Assert.DoesNotContain(secret, await browser.PageAsync("/account/profile"));

        var stored = await app.InScopeAsync(s => Task.FromResult(s.GetRequiredService<SkyportDbContext>().ApiKeys.Select(k => k.Hash).ToList()));
        Assert.Contains(Skyport.Features.Accounts.ApiKey.HashOf(secret), stored);
        Assert.DoesNotContain(secret, stored);

        var client = app.WithKey(secret);
        var list = await (await client.GetAsync("/api/v1/organizations")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain("Contoso Cloud Broker", list!.ToJsonString());
        Assert.Contains("Fabrikam IT", list.ToJsonString());

        var keyId = System.Text.RegularExpressions.Regex.Match(await browser.PageAsync("/account/profile"), "keyId=([0-9a-f-]{36})").Groups[1].Value;
        var revoked = await browser.SubmitAsync($"/account/profile?keyId={keyId}", new Dictionary<string, string>(), handler: "Revoke");
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/organizations")).StatusCode);
    }

    [Fact]
    public async Task An_api_key_needs_a_name()
    {
        var browser = new Browser(app);
        await browser.SignInAsync(DemoData.Customer.Email, DemoData.Customer.Password);
        var response = await browser.SubmitAsync("/account/profile", new Dictionary<string, string> { ["Name"] = " " }, handler: "Create");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Give the key a name", await response.Content.ReadAsStringAsync());
    }
}
