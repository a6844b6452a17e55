using System.Net;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Users;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Users;

public sealed class UserPagingOnSqlite(SqliteSkyportNoSync app) : UserPagingTests(app), IClassFixture<SqliteSkyportNoSync>;

public sealed class UserPagingOnPostgres(PostgresSkyportNoSync app) : UserPagingTests(app), IClassFixture<PostgresSkyportNoSync>;

/// <summary>The list over a large tenant: rows inserted directly, as a sync of thousands of users would leave them.</summary>
public abstract class UserPagingTests(SkyportApp app)
{
    [Fact]
    public async Task Pages_of_a_tenant_with_thousands_of_users_are_ordered_complete_and_counted()
    {
        var customer = await app.CustomerWithTenantAsync();
        const int count = 3000;
        await app.InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<SkyportDbContext>();
            for (var i = 0; i < count; i++)
            {
                var user = new TenantUser
                {
                    Id = Guid.NewGuid(),
                    OrganizationId = customer.Id,
                    TenantId = customer.TenantId,
                    UserPrincipalName = $"user{i:D5}@{customer.Domain}",
                    DisplayName = $"User {i % 1000:D4} {(i % 3 == 0 ? "Sales" : "Ops")}",
                    UsageLocation = "DE",
                    AccountEnabled = true,
                };
                user.Refresh();
                db.TenantUsers.Add(user);
            }
            await db.SaveChangesAsync();
            return 0;
        });

        var seen = new List<string>();
        for (var page = 1; ; page++)
        {
            var body = await (await app.Broker().GetAsync($"/api/v1/customers/{customer.Id}/o365/users?page={page}&pageSize=500")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(count, body!["total"]!.GetValue<int>());
            var items = body["items"]!.AsArray();
            if (items.Count == 0)
            {
                break;
            }
            seen.AddRange(items.Select(i => i!["userPrincipalName"]!.GetValue<string>()));
        }
        Assert.Equal(count, seen.Count);
        Assert.Equal(count, seen.Distinct().Count());

        var sales = await (await app.Broker().GetAsync($"/api/v1/customers/{customer.Id}/o365/users?search=sAlEs&page=3&pageSize=100")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(count / 3, sales!["total"]!.GetValue<int>());
        Assert.All(sales["items"]!.AsArray(), i => Assert.EndsWith("Sales", i!["displayName"]!.GetValue<string>()));
        var names = sales["items"]!.AsArray().Select(i => i!["displayName"]!.GetValue<string>()).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);

        var one = await (await app.Broker().GetAsync($"/api/v1/customers/{customer.Id}/o365/users?search=user02999")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, one!["total"]!.GetValue<int>());
    }
}
