using System.Net;
using Skyport.Data;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Web;

/// <summary>Skyport behind a reverse proxy (forwarded headers on, as the README says), with the real sign-in limit.</summary>
public sealed class ProxiedSkyport : SqliteSkyport
{
    public ProxiedSkyport()
    {
        Set("FORWARDEDHEADERS_ENABLED", "true");
        Set("Skyport:SignIn:AttemptsPerMinute", Skyport.Web.SignInRateLimit.DefaultAttemptsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

public sealed class BehindAProxyTests(ProxiedSkyport app) : IClassFixture<ProxiedSkyport>
{
    [Fact]
    public async Task Https_at_the_proxy_gets_hsts()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account/login");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Host = "skyport.example";
        Assert.NotNull(SecurityHeadersTests.Header(await app.Anonymous().SendAsync(request), "Strict-Transport-Security"));
        Assert.Null(SecurityHeadersTests.Header(await app.Anonymous().GetAsync("/account/login"), "Strict-Transport-Security"));
    }

    [Fact]
    public async Task Sign_in_is_limited_to_ten_attempts_a_minute_per_client_address()
    {
        var guesser = new Browser(app, forwardedFor: "203.0.113.7");
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            var refused = await guesser.SubmitAsync("/account/login", new Dictionary<string, string>
            {
                ["Input.Email"] = $"guess-{attempt}@nowhere.example",
                ["Input.Password"] = "Not-the-password-1",
            });
            Assert.True(refused.StatusCode == HttpStatusCode.OK, $"attempt {attempt}: {(int)refused.StatusCode}");
            Assert.Contains("The email or password is not right.", await refused.Content.ReadAsStringAsync());
        }

        // The eleventh, even with the right password, waits: the limit is the address's, not the account's.
        var limited = await guesser.SubmitAsync("/account/login", new Dictionary<string, string>
        {
            ["Input.Email"] = DemoData.Broker.Email,
            ["Input.Password"] = DemoData.Broker.Password,
        });
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var retryAfter = int.Parse(SecurityHeadersTests.Header(limited, "Retry-After")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Contains("Too many attempts", await limited.Content.ReadAsStringAsync());
        Assert.DoesNotContain("skyport=", SecurityHeadersTests.Header(limited, "Set-Cookie") ?? ""); // not signed in

        // Someone else, at another address, signs in as usual; the guesser can still read pages.
        await new Browser(app, forwardedFor: "203.0.113.8").SignInAsync(DemoData.Broker.Email, DemoData.Broker.Password);
        Assert.Equal(HttpStatusCode.OK, (await guesser.GetAsync("/account/login")).StatusCode);
    }
}
