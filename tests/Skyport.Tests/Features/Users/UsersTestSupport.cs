using System.Net;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Email;
using Skyport.Features.Users;
using Skyport.PartnerCenter;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Users;

/// <summary>Skyport whose user sync runs every 200 ms, on a SQLite file.</summary>
public sealed class SqliteSkyportFastSync : SqliteSkyport
{
    public SqliteSkyportFastSync() => Set("Users:SyncInterval", "00:00:00.200");
}

/// <summary>Skyport whose user sync runs every 200 ms, on PostgreSQL.</summary>
public sealed class PostgresSkyportFastSync : PostgresSkyport
{
    public PostgresSkyportFastSync() => Set("Users:SyncInterval", "00:00:00.200");
}

public static class UsersTestSupport
{
    /// <summary>A user made through the API (generated password): Skyport stores it from Partner Center's answer, before any sync round.</summary>
    public static async Task<Guid> NewUserAsync(this SkyportApp app, TenantCustomer customer, string name) =>
        (await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer.Id}/o365/users", new
        {
            firstName = name,
            lastName = "Tester",
            userName = name.ToLowerInvariant(),
            generatePassword = true,
            sendCredentialsTo = "it@northwind.example",
        })).ExpectAsync(HttpStatusCode.Created))!["id"]!.GetValue<Guid>();

    /// <summary>The emails kept in the outbox for this address, decrypted as the Outbox page shows them.</summary>
    public static Task<List<EmailMessage>> OutboxToAsync(this SkyportApp app, string to) =>
        app.InScopeAsync(async s =>
        {
            var protection = s.GetRequiredService<OutboxProtection>();
            return (await s.GetRequiredService<SkyportDbContext>().Outbox.Where(m => m.To == to).OrderBy(m => m.CreatedAt).ToListAsync()).Select(protection.Open).ToList();
        });

    public static string Line(this EmailMessage mail, string label) =>
        mail.Body.Split('\n').Single(l => l.Trim().StartsWith(label + ": ", StringComparison.Ordinal)).Split(": ", 2)[1].Trim();

    /// <summary>The customer's users as Skyport has stored them.</summary>
    public static Task<List<TenantUser>> StoredUsersAsync(this SkyportApp app, Guid customerId) =>
        app.InScopeAsync(s => s.GetRequiredService<SkyportDbContext>().TenantUsers.Where(u => u.OrganizationId == customerId).ToListAsync());

    public static Task<UserSyncState> UserSyncStateAsync(this SkyportApp app, Guid customerId) =>
        app.InScopeAsync(s => s.GetRequiredService<SkyportDbContext>().UserSyncStates.AsNoTracking().SingleAsync(x => x.OrganizationId == customerId));

    /// <summary>The ids of the tenant's users in Partner Center itself.</summary>
    public static async Task<HashSet<Guid>> UsersInPartnerCenterAsync(this SkyportApp app, Guid tenantId) =>
        [.. (await app.Services.GetRequiredService<PartnerCenterClient>().ListUsersAsync(tenantId)).Ok.Select(u => u.Id)];

    /// <summary>Waits until the condition holds, failing with the message after the timeout.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, string because)
    {
        var until = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, $"Not within {timeout.TotalSeconds} s: {because}");
            await Task.Delay(100);
        }
    }
}

/// <summary>Skyport with the sync's faults test settings: small delta pages, on a SQLite file.</summary>
public sealed class SqliteSkyportSmallPages : SqliteSkyport
{
    public SqliteSkyportSmallPages()
    {
        Set("Users:SyncInterval", "00:00:00.200");
        Set("Users:DeltaPageSize", "25");
    }
}

public sealed class PostgresSkyportSmallPages : PostgresSkyport
{
    public PostgresSkyportSmallPages()
    {
        Set("Users:SyncInterval", "00:00:00.200");
        Set("Users:DeltaPageSize", "25");
    }
}

/// <summary>Skyport without its own sync loop, so that a test drives sync instances and leases by hand.</summary>
public sealed class SqliteSkyportNoSync : SqliteSkyport
{
    public SqliteSkyportNoSync()
    {
        Set("Users:SyncEnabled", "false");
        Set("Users:LeaseDuration", "00:00:01");
    }
}

public sealed class PostgresSkyportNoSync : PostgresSkyport
{
    public PostgresSkyportNoSync()
    {
        Set("Users:SyncEnabled", "false");
        Set("Users:LeaseDuration", "00:00:01");
    }
}
