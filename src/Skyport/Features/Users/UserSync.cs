using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Users.Delta;
using Skyport.Data;
using Skyport.Features.Tenants;
using Skyport.PartnerCenter;

namespace Skyport.Features.Users;

public sealed class UserSyncOptions
{
    public const string Section = "Users";

    /// <summary>How often each tenant asks Graph for changes; a change shows in Skyport within about this long.</summary>
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a tenant stays with the instance syncing it after that instance stops renewing (a crash).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    public bool SyncEnabled { get; set; } = true;

    /// <summary>Rounds of one tenant may take many pages; each page is saved before the next is read.</summary>
    public int DeltaPageSize { get; set; } = 999;
}

/// <summary>
/// One delta round of one tenant's users: from the stored delta link (or from nothing, reading every user) through
/// every next link to a new delta link. Each page is saved together with the link to the page after it, so a round
/// broken by throttling or a server error resumes at the page that failed, and applying a page twice changes nothing.
/// </summary>
public sealed class UserSync(SkyportDbContext db, PartnerCenterGraph graph, TimeProvider clock, IOptions<UserSyncOptions> options, ILogger<UserSync> logger)
{
    private static readonly string[] Selected = ["id", "userPrincipalName", "displayName", "givenName", "surname", "usageLocation", "accountEnabled", "assignedLicenses"];
    private static readonly string[] RefusedLinkCodes = ["syncStateNotFound", "resyncRequired", "syncStateInvalid"];

    /// <summary>
    /// Orders a page read against a deletion made by Skyport. Real time, not the business clock: that one follows the
    /// emulator's, which tests move by days.
    /// </summary>
    public static readonly TimeProvider RealTime = TimeProvider.System;

    public sealed record Result(int Upserted, int Removed, bool Completed, string? Error);

    public async Task<Result> RunAsync(Guid organizationId, CancellationToken ct)
    {
        var state = await db.Set<UserSyncState>().SingleAsync(s => s.OrganizationId == organizationId, ct);
        var client = graph.ForTenant(state.TenantId);
        int upserted = 0, removed = 0;
        try
        {
            while (true)
            {
                DeltaGetResponse? page;
                var readAt = RealTime.GetUtcNow();
                var link = state.NextLink ?? state.DeltaLink;
                try
                {
                    page = link is null
                        ? await client.Users.Delta.GetAsDeltaGetResponseAsync(r =>
                        {
                            r.QueryParameters.Select = Selected;
                            r.Headers.Add("Prefer", $"odata.maxpagesize={options.Value.DeltaPageSize}");
                        }, ct)
                        : await client.Users.Delta.WithUrl(link).GetAsDeltaGetResponseAsync(r => r.Headers.Add("Prefer", $"odata.maxpagesize={options.Value.DeltaPageSize}"), ct);
                }
                catch (ODataError error) when (link is not null && IsRefusedLink(error))
                {
                    logger.LogWarning("Graph refused the delta link of tenant {Tenant} ({Code}); reading every user again", state.TenantId, error.Error?.Code);
                    StartFullRound(state);
                    state.FullResyncs++;
                    await db.SaveChangesAsync(ct);
                    continue;
                }
                var (u, r) = await ApplyAsync(state, page?.Value ?? [], readAt, ct);
                upserted += u;
                removed += r;
                if (page?.OdataNextLink is { } next)
                {
                    state.NextLink = next;
                    await db.SaveChangesAsync(ct);
                    continue;
                }
                await db.SaveChangesAsync(ct);
                var forgotten = RealTime.GetUtcNow().AddHours(-1);
                await db.TenantUserTombstones.Where(t => t.OrganizationId == organizationId && t.DeletedAt < forgotten).ExecuteDeleteAsync(ct);
                if (state.FullRound)
                {
                    removed += await RemoveUnseenAsync(state, client, ct);
                    state.FullRound = false;
                }
                state.NextLink = null;
                state.DeltaLink = page?.OdataDeltaLink ?? state.DeltaLink;
                state.LastSyncedAt = clock.GetUtcNow();
                state.LastError = null;
                await db.SaveChangesAsync(ct);
                return new Result(upserted, removed, true, null);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var message = exception is ODataError odata ? $"{odata.ResponseStatusCode} {odata.Error?.Code}: {odata.Error?.Message}" : exception.Message;
            logger.LogWarning("User sync of tenant {Tenant} stopped, to resume at the next interval: {Error}", state.TenantId, message);
            db.ChangeTracker.Clear();
            await db.Set<UserSyncState>().Where(s => s.OrganizationId == organizationId)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastError, message.Length > 1000 ? message[..1000] : message), CancellationToken.None);
            return new Result(upserted, removed, false, message);
        }
    }

    private const int UnseenLookups = 8;

    /// <summary>
    /// Users that an earlier round saw and this full round did not. Most are gone from the tenant; but a full round reads
    /// the directory as it was when it began, so a user changed meanwhile may simply not have been re-read yet. Each is
    /// asked for by id: only a 404 removes it.
    /// </summary>
    private async Task<int> RemoveUnseenAsync(UserSyncState state, Microsoft.Graph.GraphServiceClient client, CancellationToken ct)
    {
        var unseen = await db.Set<TenantUser>().Where(x => x.OrganizationId == state.OrganizationId && x.Round < state.Round).Select(x => x.Id).ToListAsync(ct);
        if (unseen.Count == 0)
        {
            return 0;
        }
        // A few at a time (Partner Center's limits), not one after the other: after a week's outage they can be many.
        var gone = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        await Parallel.ForEachAsync(unseen, new ParallelOptions { MaxDegreeOfParallelism = UnseenLookups, CancellationToken = ct }, async (id, token) =>
        {
            try
            {
                await client.Users[id.ToString()].GetAsync(r => r.QueryParameters.Select = ["id"], token);
            }
            catch (ODataError error) when (error.ResponseStatusCode == 404)
            {
                gone.Add(id);
            }
        });
        var goneIds = gone.ToHashSet();
        var removed = 0;
        // In chunks, so that a thousand ids do not make one statement with a thousand parameters.
        foreach (var chunk in unseen.Chunk(500))
        {
            var goneHere = chunk.Where(goneIds.Contains).ToList();
            var kept = chunk.Except(goneHere).ToList();
            await db.Set<TenantUser>().Where(x => x.OrganizationId == state.OrganizationId && kept.Contains(x.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Round, state.Round), ct);
            removed += await db.Set<TenantUser>().Where(x => x.OrganizationId == state.OrganizationId && goneHere.Contains(x.Id)).ExecuteDeleteAsync(ct);
        }
        return removed;
    }

    private static bool IsRefusedLink(ODataError error) =>
        error.ResponseStatusCode == 410 || RefusedLinkCodes.Contains(error.Error?.Code, StringComparer.OrdinalIgnoreCase);

    private static void StartFullRound(UserSyncState state)
    {
        state.DeltaLink = null;
        state.NextLink = null;
        state.FullRound = true;
        state.Round++;
    }

    private async Task<(int Upserted, int Removed)> ApplyAsync(UserSyncState state, List<User> users, DateTimeOffset readAt, CancellationToken ct)
    {
        if (users.Count == 0)
        {
            return (0, 0);
        }
        var ids = users.Select(u => Guid.Parse(u.Id!)).ToList();
        var existing = await db.Set<TenantUser>().Where(u => u.OrganizationId == state.OrganizationId && ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, ct);
        var tombstones = await db.TenantUserTombstones.Where(t => ids.Contains(t.UserId)).ToDictionaryAsync(t => t.UserId, ct);
        var now = clock.GetUtcNow();
        int upserted = 0, removed = 0;
        var gone = new List<Guid>();
        foreach (var user in users)
        {
            var id = Guid.Parse(user.Id!);
            existing.TryGetValue(id, out var row);
            var isRemoved = user.AdditionalData?.ContainsKey("@removed") == true;
            if (tombstones.TryGetValue(id, out var tombstone))
            {
                if (!isRemoved && tombstone.DeletedAt >= readAt)
                {
                    continue; // read before Skyport deleted the user
                }
                db.Remove(tombstone);
            }
            if (isRemoved)
            {
                if (row is not null)
                {
                    db.Entry(row).State = EntityState.Detached;
                    existing.Remove(id);
                    gone.Add(id);
                }
                continue;
            }
            if (row is null)
            {
                row = new TenantUser
                {
                    Id = id,
                    OrganizationId = state.OrganizationId,
                    TenantId = state.TenantId,
                    UserPrincipalName = user.UserPrincipalName ?? "",
                    DisplayName = user.DisplayName ?? "",
                };
                db.Add(row);
                existing[id] = row;
            }
            Copy(user, row);
            row.Round = state.Round;
            row.SyncedAt = now;
            upserted++;
        }
        if (gone.Count > 0)
        {
            // Deleted without a concurrency check: Skyport's own delete may have removed the row a moment ago.
            removed = await db.TenantUsers.Where(u => u.OrganizationId == state.OrganizationId && gone.Contains(u.Id)).ExecuteDeleteAsync(ct);
        }
        return (upserted, removed);
    }

    private static void Copy(User from, TenantUser to)
    {
        // A minimal delta item carries only what changed; keep what it does not mention.
        to.UserPrincipalName = from.UserPrincipalName ?? to.UserPrincipalName;
        to.DisplayName = from.DisplayName ?? to.DisplayName;
        to.FirstName = from.GivenName ?? to.FirstName;
        to.LastName = from.Surname ?? to.LastName;
        to.UsageLocation = from.UsageLocation ?? to.UsageLocation;
        to.AccountEnabled = from.AccountEnabled ?? to.AccountEnabled;
        if (from.AssignedLicenses is { } licenses)
        {
            to.AssignedSkuIds = [.. licenses.Where(l => l.SkuId is not null).Select(l => l.SkuId!.Value).Distinct().Order()];
        }
        to.Refresh();
    }

    /// <summary>Creates the sync state of every active tenant that has none yet.</summary>
    public static async Task EnsureStatesAsync(SkyportDbContext db, CancellationToken ct)
    {
        var missing = await db.O365Services.AsNoTracking()
            .Where(s => s.Status == O365Status.Active && s.TenantId != null && !db.Set<UserSyncState>().Any(x => x.OrganizationId == s.OrganizationId))
            .Select(s => new { s.OrganizationId, TenantId = s.TenantId!.Value })
            .ToListAsync(ct);
        foreach (var service in missing)
        {
            db.Add(new UserSyncState { OrganizationId = service.OrganizationId, TenantId = service.TenantId, Round = 1 });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another instance created it first.
                db.ChangeTracker.Clear();
            }
        }
    }
}

/// <summary>
/// A tenant is synced by one instance at a time: the instance that holds its lease row. A lease is taken when it is
/// free, already ours, or expired (its holder crashed or stopped renewing). The check and the write are one UPDATE, so
/// two instances racing for the same row cannot both win.
/// </summary>
public static class UserSyncLeases
{
    public static async Task<bool> TryAcquireAsync(SkyportDbContext db, Guid organizationId, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken ct)
    {
        var until = now + duration;
        var taken = await db.Set<UserSyncState>().IgnoreQueryFilters()
            .Where(s => s.OrganizationId == organizationId && (s.LeaseOwner == null || s.LeaseOwner == owner || s.LeaseExpiresAt == null || s.LeaseExpiresAt < now))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LeaseOwner, owner).SetProperty(x => x.LeaseExpiresAt, until), ct);
        return taken == 1;
    }

    public static Task<int> ReleaseAllAsync(SkyportDbContext db, string owner, CancellationToken ct) =>
        db.Set<UserSyncState>().IgnoreQueryFilters().Where(s => s.LeaseOwner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LeaseOwner, (string?)null).SetProperty(x => x.LeaseExpiresAt, (DateTimeOffset?)null), ct);
}

/// <summary>Runs a delta round for every tenant whose lease this instance holds, on a short interval.</summary>
public sealed class UserSyncService(IServiceScopeFactory scopes, IOptions<UserSyncOptions> options, ILogger<UserSyncService> logger) : BackgroundService
{
    // Leases measure how long an instance has been silent, in real time: the business clock may jump (emulator clock).
    private readonly TimeProvider _realTime = TimeProvider.System;
    private readonly Dictionary<Guid, DateTimeOffset> _held = [];

    public IReadOnlyCollection<Guid> HeldTenants => _held.Keys;

    public string InstanceId { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SyncEnabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(options.Value.SyncInterval);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "User sync round failed; trying again at the next interval");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    public async Task RunOnceAsync(CancellationToken ct)
    {
        List<Guid> tenants;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SkyportDbContext>();
            await UserSync.EnsureStatesAsync(db, ct);
            tenants = await db.Set<UserSyncState>().AsNoTracking().Select(s => s.OrganizationId).ToListAsync(ct);
            var duration = options.Value.LeaseDuration;
            var now = _realTime.GetUtcNow();
            foreach (var organizationId in tenants.ToList())
            {
                if (_held.TryGetValue(organizationId, out var until) && until - now > duration / 2)
                {
                    continue;
                }
                if (await UserSyncLeases.TryAcquireAsync(db, organizationId, InstanceId, now, duration, ct))
                {
                    _held[organizationId] = now + duration;
                }
                else
                {
                    _held.Remove(organizationId);
                }
            }
        }
        await Parallel.ForEachAsync(tenants.Where(_held.ContainsKey), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (organizationId, token) =>
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<UserSync>().RunAsync(organizationId, token);
        });
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // Hand the tenants over at once rather than after the lease expires.
            await using var scope = scopes.CreateAsyncScope();
            await UserSyncLeases.ReleaseAllAsync(scope.ServiceProvider.GetRequiredService<SkyportDbContext>(), InstanceId, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogInformation(exception, "Could not release the user sync leases; they expire on their own");
        }
    }
}
