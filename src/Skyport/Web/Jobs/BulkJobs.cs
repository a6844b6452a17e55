using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;

namespace Skyport.Web.Jobs;

/// <summary>Queues jobs for the caller and finds them again, within the caller's subtree.</summary>
public sealed class BulkJobs(SkyportDbContext db, Caller caller, TimeProvider clock, BulkJobSignal signal, RequestIdempotency idempotency)
{
    /// <summary>
    /// The job an earlier attempt of this request queued (same <c>Idempotency-Key</c>), if any. A use case asks first: its
    /// checks were met when that job was queued, and the job may have changed what they read since (licenses assigned).
    /// </summary>
    public async Task<BulkJobDto?> QueuedByThisRequestAsync(Guid organizationId, CancellationToken ct) =>
        idempotency.OperationKey is { } operation
        && await db.BulkJobs.AsNoTracking().SingleOrDefaultAsync(j => j.OperationKey == operation && j.OrganizationId == organizationId, ct) is { } job
            ? BulkJobDto.From(job)
            : null;

    /// <summary>
    /// Stores the job (the request is checked already) and wakes this instance's runner; null when an unfinished job holds
    /// <paramref name="exclusiveKey"/> (then nothing is stored).
    /// </summary>
    public async Task<BulkJobDto?> QueueAsync<TRequest>(Guid organizationId, string kind, TRequest request, int total, CancellationToken ct, string? exclusiveKey = null)
    {
        var job = new BulkJob
        {
            OrganizationId = organizationId,
            Kind = kind,
            Request = JsonSerializer.Serialize(request, BulkJobJson.Options),
            State = BulkJobState.Queued,
            Total = total,
            CreatedByUserId = caller.UserId,
            CreatedByName = caller.DisplayName,
            CreatedAt = clock.GetUtcNow(),
            ExclusiveKey = exclusiveKey,
            OperationKey = idempotency.OperationKey,
        };
        db.BulkJobs.Add(job);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (exclusiveKey is not null || job.OperationKey is not null)
        {
            db.Entry(job).State = EntityState.Detached;
            // A retry racing its first attempt gets that attempt's job; otherwise the exclusive key is held.
            return await QueuedByThisRequestAsync(organizationId, ct);
        }
        signal.Wake();
        return BulkJobDto.From(job);
    }

    public async Task<BulkJobDto?> FindAsync(Guid organizationId, Guid jobId, CancellationToken ct) =>
        await db.BulkJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId && j.OrganizationId == organizationId, ct) is { } job
            ? BulkJobDto.From(job)
            : null;
}
