using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Skyport.Web;

/// <summary>
/// A running Skyport process, as its heartbeat tells the others. Work that a process claims (an idempotent request,
/// a purchase, a subscription change) names it as the owner; once the owner's heartbeat stops, the work is no one's
/// and the next retry takes it over at once instead of waiting for a timeout.
/// </summary>
public sealed class SkyportInstance
{
    public Guid Id { get; init; }
    public required string Name { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset HeartbeatAt { get; set; }
}

internal sealed class SkyportInstanceConfiguration : IEntityTypeConfiguration<SkyportInstance>
{
    public void Configure(EntityTypeBuilder<SkyportInstance> builder)
    {
        builder.ToTable("skyport_instances");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Name).HasMaxLength(200);
        builder.HasIndex(i => i.HeartbeatAt);
    }
}
