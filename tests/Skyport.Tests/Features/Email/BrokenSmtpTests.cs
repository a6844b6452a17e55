using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using netDumbster.smtp;
using Skyport.Data;
using Skyport.Features.Email;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Email;

/// <summary>SMTP configured, but nothing listens there (until a test starts a server on that port).</summary>
public sealed class SkyportWithBrokenSmtp : SqliteSkyport
{
    public SkyportWithBrokenSmtp()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        Set("Email:Smtp:Host", "127.0.0.1");
        Set("Email:Smtp:Port", Port.ToString());
    }

    public int Port { get; }
}

public sealed class BrokenSmtpTests(SkyportWithBrokenSmtp app) : IClassFixture<SkyportWithBrokenSmtp>
{
    [Fact]
    public async Task An_email_the_server_cannot_take_waits_in_the_outbox_and_goes_once_the_server_is_back()
    {
        var brokerId = await Known.BrokerIdAsync(app);
        var email = $"admin-{Guid.NewGuid():N}@unsent.example";
        var body = A.Reseller().Named("Unsent Ltd").WithAdministrator(email).Body(brokerId);

        // The organization does not depend on the mail server: it is created, and its welcome email waits.
        var created = await (await app.Broker().PostJsonAsync("/api/v1/organizations", body)).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("Unsent Ltd", created!["name"]!.GetValue<string>());
        var attempted = await WaitForAsync(m => m.To == email && m.Attempts > 0);
        Assert.Null(attempted.SentAt);
        Assert.NotEqual("", attempted.Body);

        var broker = new Browser(app);
        await broker.SignInAsync(DemoData.Broker.Email, DemoData.Broker.Password);
        var outbox = await broker.PageAsync("/outbox");
        Assert.Contains(email, outbox);
        Assert.Contains("Not sent yet (1 attempt, next at", outbox);
        Assert.Contains("Temporary password:", outbox);

        using var smtp = Configuration.Configure().WithAddress(IPAddress.Loopback).WithPort(app.Port).Build();
        var message = await smtp.SingleEmailAsync(m => m.ToAddresses.Any(a => a.Address == email));
        Assert.Contains("Your Skyport account for Unsent Ltd", message.Subject);
        var sent = await WaitForAsync(m => m.To == email && m.SentAt != null);
        Assert.Equal("", sent.Body);
        Assert.Contains("Sent ", await broker.PageAsync("/outbox"));
    }

    private async Task<OutboxMessage> WaitForAsync(System.Linq.Expressions.Expression<Func<OutboxMessage, bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var found = await app.InScopeAsync(s => s.GetRequiredService<SkyportDbContext>().Outbox.AsNoTracking().FirstOrDefaultAsync(condition));
            if (found is not null || DateTime.UtcNow > deadline)
            {
                return found ?? throw new TimeoutException("No such outbox message in time.");
            }
            await Task.Delay(100);
        }
    }
}
