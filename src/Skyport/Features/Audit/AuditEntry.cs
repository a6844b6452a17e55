using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Skyport.Data;
using Skyport.Web;

namespace Skyport.Features.Audit;

/// <summary>One recorded step: who did what, when, for which organization, and how it ended.</summary>
public sealed class AuditEntry
{
    public long Id { get; init; }
    public Guid OrganizationId { get; init; }
    public DateTimeOffset At { get; init; }
    public required string Actor { get; init; }
    public required string Action { get; init; }
    public required string Outcome { get; init; }
    public string? Detail { get; init; }

    /// <summary>Unique when set: names the one line an operation writes however often it is resumed (see <see cref="AuditLog.RecordOnceAsync"/>).</summary>
    public string? OnceKey { get; init; }
}

/// <summary>Writes audit entries in a scope of their own, so that a failed step is still recorded.</summary>
public sealed class AuditLog(IServiceScopeFactory scopes, Caller caller, TimeProvider clock, RequestIdempotency idempotency)
{
    public Task RecordAsync(Guid organizationId, string action, string outcome, string? detail = null, CancellationToken ct = default) =>
        RecordAsync(organizationId, action, outcome, detail, onceKey: null, ct);

    /// <summary>
    /// The closing line of an operation that may be resumed after a crash (a bulk job taken over after it wrote its line and
    /// before it was marked done): written once per operation and action.
    /// </summary>
    public Task RecordOnceAsync(Guid organizationId, string action, string outcome, string? detail, CancellationToken ct) =>
        RecordAsync(organizationId, action, outcome, detail, idempotency.OperationKey is { } operation ? $"{operation}:{action}" : null, ct);

    private async Task RecordAsync(Guid organizationId, string action, string outcome, string? detail, string? onceKey, CancellationToken ct)
    {
        var actor = caller.IsSignedIn ? caller.DisplayName : "Skyport";
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SkyportDbContext>();
        if (detail is { Length: > 2000 })
        {
            detail = detail[..1999] + "…";
        }
        if (onceKey is not null && await db.AuditEntries.AnyAsync(e => e.OnceKey == onceKey, ct))
        {
            return;
        }
        db.AuditEntries.Add(new AuditEntry { OrganizationId = organizationId, At = clock.GetUtcNow(), Actor = actor, Action = action, Outcome = outcome, Detail = detail, OnceKey = onceKey });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (onceKey is not null)
        {
            // Written meanwhile by the instance that took the operation over.
        }
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_entries");
        builder.Property(e => e.Actor).HasMaxLength(200);
        builder.Property(e => e.Action).HasMaxLength(100);
        builder.Property(e => e.Outcome).HasMaxLength(50);
        builder.Property(e => e.Detail).HasMaxLength(2000);
        builder.HasIndex(e => new { e.OrganizationId, e.At });
        builder.Property(e => e.OnceKey).HasMaxLength(300);
        builder.HasIndex(e => e.OnceKey).IsUnique();
        builder.HasOne<Organizations.Organization>().WithMany().HasForeignKey(e => e.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
