using System.Net;
using System.Net.Sockets;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Email;

/// <summary>SMTP configured, but nothing listens there.</summary>
public sealed class SkyportWithBrokenSmtp : SqliteSkyport
{
    public SkyportWithBrokenSmtp()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        Set("Email:Smtp:Host", "127.0.0.1");
        Set("Email:Smtp:Port", closedPort.ToString());
    }
}

public sealed class BrokenSmtpTests(SkyportWithBrokenSmtp app) : IClassFixture<SkyportWithBrokenSmtp>
{
    [Fact]
    public async Task When_the_welcome_email_cannot_be_sent_nothing_is_created_and_a_retry_can_succeed_later()
    {
        var brokerId = await Known.BrokerIdAsync(app);
        var email = $"admin-{Guid.NewGuid():N}@unsent.example";
        var body = A.Reseller().Named("Unsent Ltd").WithAdministrator(email).Body(brokerId);

        var problem = await (await app.Broker().PostJsonAsync("/api/v1/organizations", body)).ExpectAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("nothing was created", problem!["detail"]!.GetValue<string>());

        var list = await (await app.Broker().GetAsync("/api/v1/organizations?pageSize=500")).ReadJsonAsync();
        Assert.DoesNotContain(list["items"]!.AsArray(), i => i!["name"]!.GetValue<string>() == "Unsent Ltd");
        var users = await app.InScopeAsync(s => Task.FromResult(s.GetRequiredService<Skyport.Data.SkyportDbContext>().Users.Count(u => u.Email == email)));
        Assert.Equal(0, users);
    }
}
