using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using netDumbster.smtp;
using Skyport.Data;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Email;

/// <summary>Skyport with an SMTP server configured: a real netDumbster server on loopback.</summary>
public sealed class SkyportWithSmtp : SqliteSkyport
{
    public SkyportWithSmtp()
    {
        Port = FreePort();
        Smtp = Configuration.Configure().WithAddress(IPAddress.Loopback).WithPort(Port).Build();
        Set("Email:Smtp:Host", "127.0.0.1");
        Set("Email:Smtp:Port", Port.ToString());
        Set("Email:Smtp:Security", "None");
        Set("Email:From", "Skyport <no-reply@skyport.test>");
    }

    public int Port { get; }
    public SimpleSmtpServer Smtp { get; }

    protected override async Task DisposeDatabaseAsync()
    {
        Smtp.Dispose();
        await base.DisposeDatabaseAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed class SmtpEmailTests(SkyportWithSmtp app) : IClassFixture<SkyportWithSmtp>
{
    [Fact]
    public async Task With_smtp_configured_the_administrators_credentials_are_sent_over_smtp_and_not_kept()
    {
        var email = $"admin-{Guid.NewGuid():N}@litware.example";
        await A.Reseller().Named("Litware SMTP").WithAdministrator(email).CreateAsync(app);

        var message = await app.Smtp.SingleEmailAsync(m => m.ToAddresses.Any(a => a.Address == email));
        Assert.Equal("no-reply@skyport.test", message.FromAddress.Address);
        Assert.Contains("Litware SMTP", message.Subject);
        var body = message.MessageParts[0].BodyData;
        Assert.Contains($"Sign-in name: {email}", body);
        var password = body.Split('\n').Single(l => l.StartsWith("Temporary password: ", StringComparison.Ordinal))["Temporary password: ".Length..].Trim();

        // Delivered: the outbox keeps that it was sent, and no longer the body with the password.
        var kept = await app.InScopeAsync(s => s.GetRequiredService<SkyportDbContext>().Outbox.SingleAsync(m => m.To == email));
        Assert.NotNull(kept.SentAt);
        Assert.Equal("", kept.Body);
        Assert.Equal($"<{kept.MessageId("skyport.test")}>", message.Headers["Message-ID"]);

        // The emailed password is temporary: the first thing the new administrator does is choose their own.
        var browser = new Browser(app);
        await browser.SignInAsync(email, password);
        var home = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal("/account/profile?mustChange=true", home.Headers.Location!.OriginalString);
        Assert.Contains("Choose your own password to continue", await browser.PageAsync("/account/profile?mustChange=true"));

        var mismatch = await browser.SubmitAsync("/account/profile", new Dictionary<string, string>
        {
            ["Password.Current"] = password, ["Password.New"] = "Litware!Own-pass1", ["Password.Confirm"] = "Litware!Other1",
        }, handler: "Password");
        Assert.Contains("The two new passwords differ.", await mismatch.Content.ReadAsStringAsync());

        var changed = await browser.SubmitAsync("/account/profile", new Dictionary<string, string>
        {
            ["Password.Current"] = password, ["Password.New"] = "Litware!Own-pass1", ["Password.Confirm"] = "Litware!Own-pass1",
        }, handler: "Password");
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Contains("Litware SMTP", await browser.PageAsync("/"));

        var again = new Browser(app);
        await again.SignInAsync(email, "Litware!Own-pass1");
        Assert.Contains("Litware SMTP", await again.PageAsync("/"));
    }

    [Fact]
    public async Task Emails_kept_while_no_smtp_server_was_configured_are_not_sent_once_one_is()
    {
        var kept = $"kept-{Guid.NewGuid():N}@fabrikam.example";
        await app.InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<SkyportDbContext>();
            db.Outbox.Add(s.GetRequiredService<Skyport.Features.Email.OutboxProtection>()
                .Seal(new Skyport.Features.Email.EmailMessage(kept, "Written before SMTP", "Old news"), DateTimeOffset.UtcNow, deliver: false));
            return await db.SaveChangesAsync();
        });
        var email = $"admin-{Guid.NewGuid():N}@fabrikam.example";
        await A.Reseller().Named("Fabrikam SMTP").WithAdministrator(email).CreateAsync(app);

        await app.Smtp.SingleEmailAsync(m => m.ToAddresses.Any(a => a.Address == email));
        Assert.DoesNotContain(app.Smtp.ReceivedEmail, m => m.ToAddresses.Any(a => a.Address == kept));
    }
}

public sealed class OutboxTests(SqliteSkyport app) : IClassFixture<SqliteSkyport>
{
    [Fact]
    public async Task Without_smtp_emails_go_to_the_outbox_that_broker_administrators_read()
    {
        var email = $"admin-{Guid.NewGuid():N}@adatum.example";
        await A.Reseller().Named("Adatum Outbox").WithAdministrator(email).CreateAsync(app);

        var broker = new Browser(app);
        await broker.SignInAsync(DemoData.Broker.Email, DemoData.Broker.Password);
        var outbox = await broker.PageAsync("/outbox");
        Assert.Contains(email, outbox);
        Assert.Contains("Your Skyport account for Adatum Outbox", outbox);
        Assert.Contains("Temporary password:", outbox);

        var reseller = new Browser(app);
        await reseller.SignInAsync(DemoData.Reseller.Email, DemoData.Reseller.Password);
        var refused = await reseller.GetAsync("/outbox");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/status/403", refused.Headers.Location!.PathAndQuery);
        Assert.DoesNotContain(">Outbox<", await reseller.PageAsync("/"));
    }
}
