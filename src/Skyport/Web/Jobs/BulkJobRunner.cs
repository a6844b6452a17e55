using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Accounts;

namespace Skyport.Web.Jobs;

/// <summary>
/// Runs bulk jobs outside any request, on the host's stopping token: picks a queued job, or a running one whose owner
/// instance has no heartbeat any more (ADR 5), claims it with a conditional update, and runs it batch by batch, saving
/// the results after each batch. A job taken over continues after its last saved result. Woken when this instance
/// queues a job; polls every second for the others' jobs and orphans.
/// </summary>
public sealed class BulkJobRunner(
    IServiceScopeFactory scopes, ThisInstance instance, BulkJobSignal signal, TimeProvider clock, IConfiguration configuration, ILogger<BulkJobRunner> logger)
    : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>Jobs run at once by one instance; each job has its own parallelism inside (e.g. <c>Users:LicenseParallelism</c>).</summary>
    private int MaxRunning => Math.Max(1, configuration.GetValue("Jobs:MaxRunning", 4));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var running = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            running.RemoveAll(t => t.IsCompleted);
            Guid? claimed = null;
            if (running.Count < MaxRunning)
            {
                try
                {
                    claimed = await ClaimNextAsync(stoppingToken);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(exception, "Looking for bulk jobs failed; trying again shortly");
                }
            }
            if (claimed is { } id)
            {
                running.Add(RunAsync(id, stoppingToken));
                continue;
            }
            try
            {
                await signal.WaitAsync(PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await Task.WhenAll(running);
    }

    /// <summary>The oldest job no live instance runs, claimed for this one; null when there is none (or another instance won each).</summary>
    private async Task<Guid?> ClaimNextAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SkyportDbContext>();
        var since = ThisInstance.AliveSince;
        var candidates = await db.BulkJobs.AsNoTracking()
            .Where(j => j.State == BulkJobState.Queued
                || (j.State == BulkJobState.Running && !db.Instances.Any(i => i.Id == j.OwnerInstanceId && i.HeartbeatAt >= since)))
            .OrderBy(j => j.CreatedAt)
            .Select(j => new { j.Id, j.Version })
            .Take(8)
            .ToListAsync(ct);
        var now = clock.GetUtcNow();
        foreach (var candidate in candidates)
        {
            var taken = await db.BulkJobs
                .Where(j => j.Id == candidate.Id && j.Version == candidate.Version)
                .ExecuteUpdateAsync(j => j
                    .SetProperty(x => x.OwnerInstanceId, instance.Id)
                    .SetProperty(x => x.State, BulkJobState.Running)
                    .SetProperty(x => x.StartedAt, x => x.StartedAt ?? now)
                    .SetProperty(x => x.Version, x => x.Version + 1), ct);
            if (taken == 1)
            {
                return candidate.Id;
            }
        }
        return null;
    }

    private async Task RunAsync(Guid jobId, CancellationToken ct)
    {
        await Task.Yield();
        try
        {
            await RunClaimedAsync(jobId, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping: the job stays running under this instance, whose row goes at stop, so the next instance continues it.
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Bulk job {Job} failed", jobId);
            try
            {
                await EndAsync(jobId, BulkJobState.Failed, "Skyport stopped this job on an unexpected error. The results so far are kept; start it again for the rest.");
            }
            catch (Exception unsaved)
            {
                // The database is out of reach: the job stays running under this instance, and is taken over once it stops.
                logger.LogError(unsaved, "Bulk job {Job} could not be marked failed", jobId);
            }
        }
        finally
        {
            signal.Wake();
        }
    }

    private async Task RunClaimedAsync(Guid jobId, CancellationToken ct)
    {
        BulkJob job;
        ClaimsPrincipal? creator;
        await using (var scope = scopes.CreateAsyncScope())
        {
            job = await scope.ServiceProvider.GetRequiredService<SkyportDbContext>().BulkJobs.AsNoTracking().SingleAsync(j => j.Id == jobId, ct);
            creator = await CreatorAsync(scope.ServiceProvider, job.CreatedByUserId);
        }
        if (creator is null)
        {
            await EndAsync(jobId, BulkJobState.Failed, $"{job.CreatedByName}, who started this job, no longer has a sign-in, so it cannot run on their behalf.");
            return;
        }
        var results = JsonNode.Parse(job.Results)!.AsArray();
        IReadOnlyList<Guid> items;
        int batchSize;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var handler = HandlerFor(scope.ServiceProvider, job, creator);
            (items, batchSize) = (handler.ItemsOf(job.Request), Math.Max(1, handler.BatchSize));
        }
        foreach (var batch in items.Skip(results.Count).Chunk(batchSize))
        {
            ct.ThrowIfCancellationRequested();
            await using var scope = scopes.CreateAsyncScope();
            var done = await HandlerFor(scope.ServiceProvider, job, creator).RunAsync(job.OrganizationId, job.Request, batch, ct);
            if (done.Count != batch.Length)
            {
                throw new InvalidOperationException($"The {job.Kind} handler answered {done.Count} results for {batch.Length} items.");
            }
            foreach (var result in done)
            {
                results.Add(result);
            }
            if (!await SaveProgressAsync(scope.ServiceProvider.GetRequiredService<SkyportDbContext>(), jobId, results))
            {
                logger.LogWarning("Bulk job {Job} was taken over by another instance; this one stops working on it", jobId);
                return;
            }
        }
        await using (var scope = scopes.CreateAsyncScope())
        {
            await HandlerFor(scope.ServiceProvider, job, creator).FinishAsync(job.OrganizationId, job.Request, results, ct);
        }
        await EndAsync(jobId, BulkJobState.Succeeded, null);
    }

    /// <summary>The creator, signed in as they would be, so that the job sees what they see and the audit log names them.</summary>
    private static async Task<ClaimsPrincipal?> CreatorAsync(IServiceProvider services, Guid userId)
    {
        var user = await services.GetRequiredService<UserManager<AppUser>>().FindByIdAsync(userId.ToString());
        return user is null ? null : await services.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>().CreateAsync(user);
    }

    /// <summary>The kind's handler in this scope, which acts as the job's creator; the job's id is the operation's idempotency key, so a use case that records intents finds them again when the job is resumed.</summary>
    private static IBulkJobHandler HandlerFor(IServiceProvider services, BulkJob job, ClaimsPrincipal creator)
    {
        services.GetRequiredService<Caller>().ActFor(creator);
        services.GetRequiredService<RequestIdempotency>().Set(job.CreatedByUserId, $"job:{job.Id:N}");
        return services.GetServices<IBulkJobHandler>().SingleOrDefault(h => h.Kind == job.Kind)
            ?? throw new InvalidOperationException($"No handler for bulk jobs of kind '{job.Kind}'.");
    }

    /// <summary>Saved even while stopping: these items are done. False when another instance owns the job now.</summary>
    private async Task<bool> SaveProgressAsync(SkyportDbContext db, Guid jobId, JsonArray results) =>
        await db.BulkJobs.Where(j => j.Id == jobId && j.OwnerInstanceId == instance.Id)
            .ExecuteUpdateAsync(j => j
                .SetProperty(x => x.Results, results.ToJsonString())
                .SetProperty(x => x.Done, results.Count)
                .SetProperty(x => x.Version, x => x.Version + 1), CancellationToken.None) == 1;

    private async Task EndAsync(Guid jobId, BulkJobState state, string? error)
    {
        await using var scope = scopes.CreateAsyncScope();
        var now = clock.GetUtcNow();
        await scope.ServiceProvider.GetRequiredService<SkyportDbContext>().BulkJobs
            .Where(j => j.Id == jobId && j.OwnerInstanceId == instance.Id)
            .ExecuteUpdateAsync(j => j
                .SetProperty(x => x.State, state)
                .SetProperty(x => x.Error, error)
                .SetProperty(x => x.FinishedAt, now)
                .SetProperty(x => x.ExclusiveKey, (string?)null)
                .SetProperty(x => x.Version, x => x.Version + 1), CancellationToken.None);
    }
}
