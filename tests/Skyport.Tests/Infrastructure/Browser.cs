using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Skyport.Tests.Infrastructure;

/// <summary>
/// A cookie-keeping HTTP client that fills in forms as a browser would (antiforgery token included). With
/// <paramref name="forwardedFor"/>, it is that client address behind a reverse proxy.
/// </summary>
public sealed partial class Browser(SkyportApp app, string? forwardedFor = null)
{
    private readonly HttpClient _client = Create(app, forwardedFor);

    private static HttpClient Create(SkyportApp app, string? forwardedFor)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        if (forwardedFor is not null)
        {
            client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        }
        return client;
    }

    public async Task<HttpResponseMessage> GetAsync(string url) => await _client.GetAsync(url);

    public async Task<string> PageAsync(string url)
    {
        var response = await _client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} answered {(int)response.StatusCode} {response.Headers.Location}");
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Loads the page, then posts the form fields with the page's antiforgery token.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string url, IDictionary<string, string> fields, string? handler = null)
    {
        var page = await PageAsync(url);
        var token = AntiforgeryToken().Match(page).Groups[1].Value;
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token };
        var target = handler is null ? url : $"{url}{(url.Contains('?') ? '&' : '?')}handler={handler}";
        return await _client.PostAsync(target, new FormUrlEncodedContent(form));
    }

    /// <summary>Loads the page, then uploads a file in a multipart form with the page's antiforgery token.</summary>
    public async Task<HttpResponseMessage> SubmitFileAsync(string url, string handler, string field, string fileName, string content)
    {
        var token = AntiforgeryToken().Match(await PageAsync(url)).Groups[1].Value;
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(content), field, fileName },
        };
        return await _client.PostAsync($"{url}{(url.Contains('?') ? '&' : '?')}handler={handler}", form);
    }

    public async Task<HttpResponseMessage> PostAsync(string url, IDictionary<string, string> fields) =>
        await _client.PostAsync(url, new FormUrlEncodedContent(fields));

    /// <summary>The antiforgery token of the signed-in user, as a page's form carries it (it is good for every form).</summary>
    public async Task<string> AntiforgeryTokenAsync(string url = "/account/profile") => AntiforgeryToken().Match(await PageAsync(url)).Groups[1].Value;

    /// <summary>Posts a form body exactly as given (already URL-encoded, possibly malformed).</summary>
    public async Task<HttpResponseMessage> SendRawFormAsync(string url, string encodedForm) =>
        await _client.PostAsync(url, new StringContent(encodedForm, System.Text.Encoding.ASCII, "application/x-www-form-urlencoded"));

    /// <summary>A new browser signed in with one of the demo logins.</summary>
    public static async Task<Browser> SignedInAsync(SkyportApp app, Skyport.Data.DemoData.Login login)
    {
        var browser = new Browser(app);
        await browser.SignInAsync(login.Email, login.Password);
        return browser;
    }

    public async Task SignInAsync(string email, string password)
    {
        var response = await SubmitAsync("/account/login", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Sign-in as {email} failed: {(int)response.StatusCode}");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
