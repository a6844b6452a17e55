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
}

/// <summary>Writes audit entries in a scope of their own, so that a failed step is still recorded.</summary>
public sealed class AuditLog(IServiceScopeFactory scopes, Caller caller, TimeProvider clock)
{
    public async Task RecordAsync(Guid organizationId, string action, string outcome, string? detail = null, CancellationToken ct = default)
    {
        var actor = caller.IsSignedIn ? caller.DisplayName : "Skyport";
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SkyportDbContext>();
        if (detail is { Length: > 2000 })
        {
            detail = detail[..1999] + "…";
        }
        db.AuditEntries.Add(new AuditEntry { OrganizationId = organizationId, At = clock.GetUtcNow(), Actor = actor, Action = action, Outcome = outcome, Detail = detail });
        await db.SaveChangesAsync(ct);
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
        builder.HasOne<Organizations.Organization>().WithMany().HasForeignKey(e => e.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
