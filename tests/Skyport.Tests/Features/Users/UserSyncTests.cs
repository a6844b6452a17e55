using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Skyport.Data;
using Skyport.Features.Users;
using Skyport.PartnerCenter;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Users;

public sealed class UserSyncOnSqlite(SqliteSkyportSmallPages app) : UserSyncTests(app), IClassFixture<SqliteSkyportSmallPages>;

public sealed class UserSyncOnPostgres(PostgresSkyportSmallPages app) : UserSyncTests(app), IClassFixture<PostgresSkyportSmallPages>;

/// <summary>The background sync against Partner Center's faults and refusals.</summary>
public abstract class UserSyncTests(SkyportApp app)
{
    private readonly EmulatorControl _emulator = new(app);

    [Fact]
    public async Task Throttling_and_server_errors_during_sync_lose_and_duplicate_nothing()
    {
        var customer = await app.CustomerWithTenantAsync();
        await UsersTestSupport.EventuallyAsync(async () => (await app.StoredUsersAsync(customer.Id)).Count == 2, TimeSpan.FromSeconds(5), "the administrators are synced");
        await _emulator.InjectAsync(
            new { method = "GET", pathPattern = "/graph/v1.0/users/delta*", kind = "error", status = 500, rate = 0.3, times = 6 },
            new { method = "GET", pathPattern = "/graph/v1.0/users/delta*", kind = "throttle", rate = 0.3, retryAfterSeconds = 0, times = 6 },
            new { method = "GET", pathPattern = "/graph/v1.0/users/delta*", kind = "error", status = 503, rate = 0.2, times = 4 });

        var partnerCenter = app.Services.GetRequiredService<PartnerCenterClient>();
        for (var i = 0; i < 120; i++)
        {
            (await partnerCenter.CreateUserAsync(customer.TenantId, new NewCustomerUser(
                $"bulk{i:D3}@{customer.Domain}", $"Bulk {i:D3}", "Bulk", $"N{i:D3}", "DE", new PasswordProfile("Str0ng!Passw0rd")))).Ok.ToString();
        }

        var expected = await app.UsersInPartnerCenterAsync(customer.TenantId);
        Assert.Equal(122, expected.Count);
        await UsersTestSupport.EventuallyAsync(async () => (await app.StoredUsersAsync(customer.Id)).Count >= expected.Count, TimeSpan.FromSeconds(30), "every user is synced despite the faults");
        var stored = await app.StoredUsersAsync(customer.Id);
        Assert.Equal(expected.Order(), stored.Select(u => u.Id).Order());
        Assert.Equal(stored.Count, stored.Select(u => u.UserPrincipalName).Distinct().Count());
        var faults = await new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<EmbeddedEmulator>().BaseUrl) }.GetStringAsync("/_emulator/faults");
        Assert.DoesNotContain("\"times\":6", faults); // the faults did hit the sync
        await _emulator.ClearFaultsAsync();

        await UsersTestSupport.EventuallyAsync(async () => (await app.UserSyncStateAsync(customer.Id)) is { LastError: null, NextLink: null }, TimeSpan.FromSeconds(10), "the round completes cleanly");
    }

    [Fact]
    public async Task A_refused_delta_link_starts_a_full_resync_that_drops_users_partner_center_no_longer_has()
    {
        var customer = await app.CustomerWithTenantAsync();
        await UsersTestSupport.EventuallyAsync(async () => (await app.StoredUsersAsync(customer.Id)).Count == 2 && (await app.UserSyncStateAsync(customer.Id)).DeltaLink is not null, TimeSpan.FromSeconds(5), "the first round completes");

        var ghost = Guid.NewGuid();
        await app.InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<SkyportDbContext>();
            var state = await db.UserSyncStates.SingleAsync(x => x.OrganizationId == customer.Id);
            var ghostUser = new TenantUser { Id = ghost, OrganizationId = customer.Id, TenantId = customer.TenantId, UserPrincipalName = $"ghost@{customer.Domain}", DisplayName = "Ghost", Round = state.Round };
            ghostUser.Refresh();
            db.TenantUsers.Add(ghostUser);
            await db.SaveChangesAsync();
            return 0;
        });
        // A round running meanwhile may store its own new link over ours: spoil the link again until a resync starts.
        await UsersTestSupport.EventuallyAsync(async () =>
        {
            if ((await app.UserSyncStateAsync(customer.Id)).FullResyncs == 1)
            {
                return true;
            }
            await app.InScopeAsync(async s =>
            {
                var db = s.GetRequiredService<SkyportDbContext>();
                var state = await db.UserSyncStates.SingleAsync(x => x.OrganizationId == customer.Id);
                if (state.DeltaLink is { } link && !link.EndsWith("$deltatoken=expired", StringComparison.Ordinal))
                {
                    state.DeltaLink = link[..link.IndexOf("$deltatoken=", StringComparison.Ordinal)] + "$deltatoken=expired";
                    await db.SaveChangesAsync();
                }
                return 0;
            });
            return false;
        }, TimeSpan.FromSeconds(10), "the refused link starts a full resync: " + System.Text.Json.JsonSerializer.Serialize(await app.UserSyncStateAsync(customer.Id)));
        await UsersTestSupport.EventuallyAsync(async () => (await app.StoredUsersAsync(customer.Id)).All(u => u.Id != ghost), TimeSpan.FromSeconds(5), "the user Partner Center does not have is gone");
        Assert.Equal(await app.UsersInPartnerCenterAsync(customer.TenantId), [.. (await app.StoredUsersAsync(customer.Id)).Select(u => u.Id)]);
        Assert.NotNull((await app.UserSyncStateAsync(customer.Id)).DeltaLink);
    }
}

public sealed class UserSyncExpiryOnSqlite(SqliteSkyportSmallPages app) : UserSyncExpiryTests(app), IClassFixture<SqliteSkyportSmallPages>;

public sealed class UserSyncExpiryOnPostgres(PostgresSkyportSmallPages app) : UserSyncExpiryTests(app), IClassFixture<PostgresSkyportSmallPages>;

/// <summary>Moves the emulator's clock a week on: its own Skyport and emulator, so no other test sees the jump.</summary>
public abstract class UserSyncExpiryTests(SkyportApp app)
{
    private readonly EmulatorControl _emulator = new(app);

    [Fact]
    public async Task A_delta_link_expired_after_seven_days_restarts_a_full_round_that_ends_with_exactly_partner_centers_users()
    {
        var customer = await app.CustomerWithTenantAsync();
        var partnerCenter = app.Services.GetRequiredService<PartnerCenterClient>();
        async Task<Guid> CreateAsync(string name) => (await partnerCenter.CreateUserAsync(customer.TenantId, new NewCustomerUser(
            $"{name}@{customer.Domain}", name, "Gap", name, "DE", new PasswordProfile("Str0ng!Passw0rd")))).Ok.Id;
        var leaving = await CreateAsync("leaving");
        var renamed = await CreateAsync("renamed");
        await UsersTestSupport.EventuallyAsync(async () => (await app.StoredUsersAsync(customer.Id)).Count == 4 && (await app.UserSyncStateAsync(customer.Id)).DeltaLink is not null,
            TimeSpan.FromSeconds(10), "the first round completes");
        var resyncsBefore = (await app.UserSyncStateAsync(customer.Id)).FullResyncs;

        // Skyport cannot reach Graph's delta for over a week while the tenant changes: its delta link is then too old.
        await _emulator.InjectAsync(new { method = "GET", pathPattern = "/graph/v1.0/users/delta*", kind = "error", status = 503, rate = 1.0 });
        try
        {
            await Task.Delay(500); // a round already under way finishes
            for (var i = 0; i < 30; i++)
            {
                await CreateAsync($"gap{i:D2}");
            }
            Assert.True((await partnerCenter.DeleteUserAsync(customer.TenantId, leaving)).IsSuccess);
            Assert.True((await partnerCenter.UpdateUserAsync(customer.TenantId, renamed, new CustomerUserChange(DisplayName: "Renamed in the gap"))).IsSuccess);
            await _emulator.AdvanceClockAsync(days: 7, hours: 1);
        }
        finally
        {
            await _emulator.ClearFaultsAsync();
        }

        var expected = await app.UsersInPartnerCenterAsync(customer.TenantId);
        Assert.Equal(33, expected.Count);
        await UsersTestSupport.EventuallyAsync(async () => (await app.UserSyncStateAsync(customer.Id)) is { FullResyncs: var n, FullRound: false, LastError: null } && n > resyncsBefore
            && (await app.StoredUsersAsync(customer.Id)).Count == expected.Count, TimeSpan.FromSeconds(20), "Graph refuses the expired link and the full round completes");
        var stored = await app.StoredUsersAsync(customer.Id);
        Assert.Equal(expected.Order(), stored.Select(u => u.Id).Order());
        Assert.Equal(stored.Count, stored.Select(u => u.UserPrincipalName).Distinct().Count());
        Assert.DoesNotContain(stored, u => u.Id == leaving);
        Assert.Equal("Renamed in the gap", stored.Single(u => u.Id == renamed).DisplayName);

        // The new link works: a change after the recovery arrives through delta again, without another full round.
        var resyncsAfter = (await app.UserSyncStateAsync(customer.Id)).FullResyncs;
        var later = await CreateAsync("later");
        await UsersTestSupport.EventuallyAsync(async () => (await app.StoredUsersAsync(customer.Id)).Any(u => u.Id == later), TimeSpan.FromSeconds(10), "a later user is synced");
        Assert.Equal(resyncsAfter, (await app.UserSyncStateAsync(customer.Id)).FullResyncs);
    }
}

public sealed class UserSyncLeasesOnSqlite(SqliteSkyportNoSync app) : UserSyncLeaseTests(app), IClassFixture<SqliteSkyportNoSync>;

public sealed class UserSyncLeasesOnPostgres(PostgresSkyportNoSync app) : UserSyncLeaseTests(app), IClassFixture<PostgresSkyportNoSync>;

/// <summary>Several Skyport instances on one database: one syncs each tenant, and a silent one's tenants are taken over.</summary>
public abstract class UserSyncLeaseTests(SkyportApp app)
{
    private async Task<Guid> TenantWithStateAsync()
    {
        var customer = await app.CustomerWithTenantAsync();
        await app.InScopeAsync(async s => { await UserSync.EnsureStatesAsync(s.GetRequiredService<SkyportDbContext>(), default); return 0; });
        return customer.Id;
    }

    private Task<bool> TryAcquireAsync(Guid organizationId, string owner, DateTimeOffset now) =>
        app.InScopeAsync(s => UserSyncLeases.TryAcquireAsync(s.GetRequiredService<SkyportDbContext>(), organizationId, owner, now, TimeSpan.FromSeconds(10), default));

    [Fact]
    public async Task A_lease_is_held_by_one_owner_until_it_expires_then_taken_over()
    {
        var tenant = await TenantWithStateAsync();
        var now = DateTimeOffset.UtcNow;

        Assert.True(await TryAcquireAsync(tenant, "a", now));
        Assert.False(await TryAcquireAsync(tenant, "b", now.AddSeconds(5)));
        Assert.True(await TryAcquireAsync(tenant, "a", now.AddSeconds(5))); // renewed: now held until +15 s
        Assert.False(await TryAcquireAsync(tenant, "b", now.AddSeconds(12)));
        Assert.True(await TryAcquireAsync(tenant, "b", now.AddSeconds(16))); // a went silent
        Assert.False(await TryAcquireAsync(tenant, "a", now.AddSeconds(17)));

        await app.InScopeAsync(s => UserSyncLeases.ReleaseAllAsync(s.GetRequiredService<SkyportDbContext>(), "b", default));
        Assert.True(await TryAcquireAsync(tenant, "a", now.AddSeconds(18)));
    }

    [Fact]
    public async Task Racing_owners_never_both_win()
    {
        var tenant = await TenantWithStateAsync();
        var now = DateTimeOffset.UtcNow;
        var wins = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => TryAcquireAsync(tenant, $"owner{i}", now))));
        Assert.Equal(1, wins.Count(w => w));
    }

    [Fact]
    public async Task Two_instances_sync_each_tenant_once_and_a_stopped_instances_tenants_move_over()
    {
        var tenant = await TenantWithStateAsync();
        var first = ActivatorUtilities.CreateInstance<UserSyncService>(app.Services);
        var second = ActivatorUtilities.CreateInstance<UserSyncService>(app.Services);

        await Task.WhenAll(first.RunOnceAsync(default), second.RunOnceAsync(default));
        Assert.True(first.HeldTenants.Contains(tenant) ^ second.HeldTenants.Contains(tenant));
        var (holder, other) = first.HeldTenants.Contains(tenant) ? (first, second) : (second, first);
        var users = await app.InScopeAsync(s => s.GetRequiredService<SkyportDbContext>().TenantUsers.CountAsync(u => u.OrganizationId == tenant));
        Assert.Equal(2, users);

        // The holder crashes (stops renewing); after the lease duration the other instance takes the tenant.
        await Task.Delay(app.Services.GetRequiredService<IOptions<UserSyncOptions>>().Value.LeaseDuration + TimeSpan.FromMilliseconds(200));
        await other.RunOnceAsync(default);
        Assert.Contains(tenant, other.HeldTenants);
        var owner = await app.InScopeAsync(s => s.GetRequiredService<SkyportDbContext>().UserSyncStates.Where(x => x.OrganizationId == tenant).Select(x => x.LeaseOwner).SingleAsync());
        Assert.Equal(other.InstanceId, owner);
        Assert.NotEqual(holder.InstanceId, owner);
    }
}
