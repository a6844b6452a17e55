using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Web;

public sealed partial class SecurityHeadersTests(SqliteSkyport app) : IClassFixture<SqliteSkyport>
{
    [Fact]
    public async Task Pages_the_api_static_files_and_errors_carry_the_security_headers()
    {
        var anonymous = app.Anonymous();
        var responses = new Dictionary<string, HttpResponseMessage>
        {
            ["sign-in page"] = await anonymous.GetAsync("/account/login"),
            ["redirect to sign-in"] = await anonymous.GetAsync("/organization"),
            ["missing page"] = await anonymous.GetAsync("/status/404"),
            ["api"] = await app.Broker().GetAsync("/api/v1/organizations"),
            ["api problem"] = await app.Broker().GetAsync("/api/v1/no-such-thing"),
            ["api without a key"] = await anonymous.GetAsync("/api/v1/organizations"),
            ["static file"] = await anonymous.GetAsync("/css/site.css"),
            ["script"] = await anonymous.GetAsync("/js/site.js"),
        };
        foreach (var (what, response) in responses)
        {
            var csp = Header(response, "Content-Security-Policy");
            Assert.True(csp is not null, $"{what} ({(int)response.StatusCode}) has no Content-Security-Policy");
            Assert.Contains("script-src 'self';", csp);
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.DoesNotContain("unsafe-inline", csp);
            Assert.Equal("DENY", Header(response, "X-Frame-Options"));
            Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
            Assert.Equal("same-origin", Header(response, "Referrer-Policy"));
            Assert.Null(Header(response, "Strict-Transport-Security")); // plain http: HSTS means nothing there
        }
    }

    [Fact]
    public async Task Https_responses_carry_hsts()
    {
        var https = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://skyport.example"), AllowAutoRedirect = false });
        var hsts = Header(await https.GetAsync("/account/login"), "Strict-Transport-Security");
        Assert.NotNull(hsts);
        Assert.Matches(@"max-age=\d{6,}", hsts);
    }

    /// <summary>The policy allows no inline script or style, so a page that had one would silently lose it.</summary>
    [Fact]
    public void No_page_has_inline_script_or_style()
    {
        var pages = Directory.EnumerateFiles(Path.Combine(Repository.Root, "src", "Skyport", "Features"), "*.cshtml", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(pages);
        var found = pages
            .SelectMany(file => File.ReadLines(file).Select((line, index) => (file, line, index)))
            .Where(l => InlineCode().IsMatch(l.line))
            .Select(l => $"{Path.GetRelativePath(Repository.Root, l.file)}:{l.index + 1}: {l.line.Trim()}")
            .ToList();
        Assert.True(found.Count == 0, "Inline script or style (use wwwroot/js/site.js with a data attribute, or a class in site.css):"
            + Environment.NewLine + string.Join(Environment.NewLine, found));
    }

    [Theory]
    [InlineData("<button onclick=\"go()\">", true)]
    [InlineData("<form method=\"post\" onsubmit=\"return confirm('x')\">", true)]
    [InlineData("<script>alert(1)</script>", true)]
    [InlineData("<div style=\"margin:0\">", true)]
    [InlineData("<a href=\"javascript:void(0)\">", true)]
    [InlineData("<script src=\"~/js/site.js\" defer></script>", false)]
    [InlineData("<input data-check-all=\"#rows input\" />", false)]
    [InlineData("<p>Billing continues while the subscription is suspended.</p>", false)]
    public void The_inline_code_check_knows_what_the_policy_blocks(string line, bool blocked) =>
        Assert.Equal(blocked, InlineCode().IsMatch(line));

    [GeneratedRegex(@"\son[a-z]+\s*=|<script(?![^>]*\ssrc=)[^>]*>|\sstyle\s*=|javascript:|<style", RegexOptions.IgnoreCase)]
    private static partial Regex InlineCode();

    internal static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;
}
