using System.Net;
using System.Text;
using Microsoft.Data.Sqlite;
using Skyport.Tests.Features.Email;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Tenants;

/// <summary>With SMTP configured, the admin's generated password exists only in the email (and the call to Partner Center).</summary>
public sealed class OnboardingSecretTests(SkyportWithSmtp app) : IClassFixture<SkyportWithSmtp>
{
    [Fact]
    public async Task The_generated_password_is_emailed_and_stored_nowhere()
    {
        var customer = await A.Customer().CreateAsync(app);
        var prefix = "s" + Guid.NewGuid().ToString("N")[..12];
        await app.AddO365Async(customer, prefix);

        var mail = await app.Smtp.SingleEmailAsync(m => m.Subject.Contains(prefix));
        var body = mail.MessageParts[0].BodyData;
        var password = body.Split('\n').Single(l => l.StartsWith("Temporary password: ", StringComparison.Ordinal))["Temporary password: ".Length..].Trim();
        Assert.True(await new EmulatorControl(app).SignsInAsync($"test@{prefix}.onmicrosoft.com", password));

        SqliteConnection.ClearAllPools();
        var database = await File.ReadAllBytesAsync(app.DatabaseFile);
        var wal = File.Exists(app.DatabaseFile + "-wal") ? await File.ReadAllBytesAsync(app.DatabaseFile + "-wal") : [];
        var needle = Encoding.UTF8.GetBytes(password);
        Assert.Equal(-1, database.AsSpan().IndexOf(needle));
        Assert.Equal(-1, wal.AsSpan().IndexOf(needle));
    }
}
