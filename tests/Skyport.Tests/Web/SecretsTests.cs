using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Skyport.Data;
using Skyport.PartnerCenter;
using Skyport.Tests.Features.Users;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Web;

/// <summary>
/// After a full journey (a tenant onboarded with its admin's password emailed, a user with a generated password, an
/// API key made on the profile page, the bootstrap key), no secret is in clear in the database file and its WAL, in
/// the logs or in the exports: API keys, generated passwords, the Partner Center client secret and the access tokens
/// Skyport holds. Emails kept in the outbox are encrypted, and the Outbox page shows them decrypted.
/// </summary>
public sealed partial class SecretsTests(SecretsTests.RecordingSkyport app) : IClassFixture<SecretsTests.RecordingSkyport>
{
    /// <summary>Skyport logging everything from Debug up into memory.</summary>
    public sealed class RecordingSkyport : SqliteSkyport
    {
        public RecordingSkyport() => Set("Logging:LogLevel:Default", "Debug");

        public LogRecorder Logs { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        }
    }

    [Fact]
    public async Task No_secret_is_in_clear_in_the_database_the_logs_or_the_exports()
    {
        var secrets = new Dictionary<string, string>
        {
            ["bootstrap API key"] = SkyportApp.BootstrapKey,
            ["Partner Center client secret"] = app.Services.GetRequiredService<IOptions<PartnerCenterOptions>>().Value.ClientSecret,
        };

        var customer = await FurnishedCustomer.CreateAsync(app);
        var tenant = await app.InScopeAsync(s => Task.FromResult(s.GetRequiredService<SkyportDbContext>().O365Services.Single(o => o.OrganizationId == customer.Id).TenantId!.Value));
        secrets["tenant admin's emailed password"] = (await app.OutboxToAsync("contact@test.example")).Last().Line("Temporary password");
        secrets["new user's emailed password"] = (await app.OutboxToAsync("it@furnished.example")).Last().Line("Temporary password");

        var browser = new Browser(app);
        await browser.SignInAsync(DemoData.Broker.Email, DemoData.Broker.Password);
        var created = await browser.SubmitAsync("/account/profile", new Dictionary<string, string> { ["Name"] = "secrets test" }, handler: "Create");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var profile = await browser.PageAsync("/account/profile");
        secrets["API key made on the profile page"] = WebUtility.HtmlDecode(NewSecret().Match(profile).Groups[1].Value);
        Assert.Equal(HttpStatusCode.OK, (await app.WithKey(secrets["API key made on the profile page"]).GetAsync("/api/v1/organizations")).StatusCode);

        // The tokens Skyport holds (cached for the partner and for the customer's tenant).
        var tokens = app.Services.GetRequiredService<EntraTokenProvider>();
        var options = app.Services.GetRequiredService<IOptions<PartnerCenterOptions>>().Value;
        secrets["Partner Center access token"] = await tokens.GetTokenAsync(options.TenantId!, PartnerCenterOptions.PartnerCenterScope);
        secrets["Graph access token"] = await tokens.GetTokenAsync(tenant.ToString(), PartnerCenterOptions.GraphScope);
        Assert.All(secrets, s => Assert.True(s.Value.Length >= 8, $"{s.Key} was not found: '{s.Value}'"));

        // The outbox keeps the emails, encrypted; the Outbox page shows them decrypted.
        var outbox = await browser.PageAsync("/outbox");
        Assert.Contains(secrets["new user's emailed password"], WebUtility.HtmlDecode(outbox));

        var fabrikam = await Known.IdOfAsync(app, "Fabrikam IT");
        var exports = new Dictionary<string, byte[]>
        {
            ["billing CSV"] = await app.Broker().GetByteArrayAsync($"/api/v1/organizations/{fabrikam}/billing/reports/export?format=csv"),
            ["billing Excel"] = Unzipped(await app.Broker().GetByteArrayAsync($"/api/v1/organizations/{fabrikam}/billing/reports/export?format=xlsx")),
            ["customer billing CSV"] = await app.Broker().GetByteArrayAsync($"/api/v1/customers/{customer.Id}/billing/reports/export?format=csv"),
            ["directory export"] = await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer.Id}/o365/users/export",
                new { userIds = new[] { customer.UserId }, sendPasswordTo = "it@furnished.example" })).Content.ReadAsByteArrayAsync(),
            ["directory"] = await app.Broker().GetByteArrayAsync($"/api/v1/customers/{customer.Id}/directory/users"),
            ["users list"] = await app.Broker().GetByteArrayAsync($"/api/v1/customers/{customer.Id}/o365/users"),
        };

        SqliteConnection.ClearAllPools();
        var places = new Dictionary<string, byte[]>(exports)
        {
            ["database file"] = await ReadSharedAsync(app.DatabaseFile),
            ["database WAL"] = File.Exists(app.DatabaseFile + "-wal") ? await ReadSharedAsync(app.DatabaseFile + "-wal") : [],
            ["logs"] = Encoding.UTF8.GetBytes(app.Logs.Text()),
        };
        Assert.True(places["logs"].Length > 1000, "The logs were not captured.");
        var found = (from secret in secrets
                     from place in places
                     where place.Value.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret.Value)) >= 0
                     select $"{secret.Key} in the {place.Key}").ToList();
        Assert.True(found.Count == 0, string.Join(Environment.NewLine, found));
    }

    [Fact]
    public async Task An_email_an_earlier_version_kept_in_clear_is_encrypted_at_the_next_start_and_still_shown()
    {
        var to = $"earlier-{Guid.NewGuid():N}@plain.example";
        await app.InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<SkyportDbContext>();
            db.Outbox.Add(new Skyport.Features.Email.OutboxMessage { To = to, Subject = "Old", Body = "Temporary password: Plain!Old1", CreatedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });

        await app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<DatabaseInitializer>().Single().StartAsync(CancellationToken.None);

        var stored = await app.InScopeAsync(s => Task.FromResult(s.GetRequiredService<SkyportDbContext>().Outbox.Single(m => m.To == to)));
        Assert.DoesNotContain("Plain!Old1", stored.Body);
        Assert.Equal("Plain!Old1", Assert.Single(await app.OutboxToAsync(to)).Line("Temporary password"));
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await file.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static byte[] Unzipped(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip));
        using var all = new MemoryStream();
        foreach (var entry in archive.Entries)
        {
            using var content = entry.Open();
            content.CopyTo(all);
        }
        return all.ToArray();
    }

    [GeneratedRegex("<p class=\"secret\" aria-label=\"New API key\">([^<]+)</p>")]
    private static partial Regex NewSecret();
}
