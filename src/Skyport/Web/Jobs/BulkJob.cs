using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Skyport.Features.Organizations;

namespace Skyport.Web.Jobs;

/// <summary>
/// Work on many items (users, directory people) that outlives the request that asked for it. The runner of a live
/// instance owns it while it runs and appends each item's result as it finishes, so that an instance taking over after a
/// crash continues after the last recorded item.
/// </summary>
public sealed class BulkJob
{
    public Guid Id { get; init; } = Guid.NewGuid();
    public Guid OrganizationId { get; init; }

    /// <summary>One of <see cref="BulkJobKind"/>: picks the handler.</summary>
    public required string Kind { get; init; }

    /// <summary>What was asked, as JSON: the handler reads its items from it.</summary>
    public required string Request { get; init; }

    public BulkJobState State { get; set; }
    public int Total { get; init; }
    public int Done { get; set; }

    /// <summary>The items' results so far, a JSON array in the items' order.</summary>
    public string Results { get; set; } = "[]";

    /// <summary>Why the job stopped before its last item (state failed).</summary>
    public string? Error { get; set; }

    public Guid? OwnerInstanceId { get; set; }

    /// <summary>
    /// While the job is unfinished, what no other unfinished job may hold (unique): two license jobs of one customer
    /// racing for the last free licenses would both have counted them free. Cleared when the job ends.
    /// </summary>
    public string? ExclusiveKey { get; set; }

    /// <summary>
    /// The request's operation (<see cref="RequestIdempotency.OperationKey"/>), unique: a retry of a request whose answer was
    /// lost finds the job it queued instead of checking again against a state the job has already changed.
    /// </summary>
    public string? OperationKey { get; init; }

    /// <summary>Who asked: the job runs as this user (their organization scope, their name in the audit log).</summary>
    public Guid CreatedByUserId { get; init; }
    public required string CreatedByName { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public int Version { get; set; }
}

internal sealed class BulkJobConfiguration : IEntityTypeConfiguration<BulkJob>
{
    public void Configure(EntityTypeBuilder<BulkJob> builder)
    {
        builder.ToTable("bulk_jobs");
        builder.Property(j => j.Kind).HasMaxLength(40);
        builder.Property(j => j.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(j => j.CreatedByName).HasMaxLength(200);
        builder.Property(j => j.Error).HasMaxLength(2000);
        builder.Property(j => j.Version).IsConcurrencyToken();
        builder.HasIndex(j => j.State);
        builder.Property(j => j.ExclusiveKey).HasMaxLength(100);
        builder.HasIndex(j => j.ExclusiveKey).IsUnique();
        builder.Property(j => j.OperationKey).HasMaxLength(240);
        builder.HasIndex(j => j.OperationKey).IsUnique();
        builder.HasIndex(j => new { j.OrganizationId, j.CreatedAt });
        builder.HasOne<Organization>().WithMany().HasForeignKey(j => j.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
