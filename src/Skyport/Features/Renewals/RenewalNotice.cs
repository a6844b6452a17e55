using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Skyport.Features.Organizations;

namespace Skyport.Features.Renewals;

/// <summary>That an organization's administrators were told, so many days ahead, about the end of one term of a subscription.</summary>
public sealed class RenewalNotice
{
    public Guid Id { get; init; } = Guid.NewGuid();
    public Guid OrganizationId { get; init; }
    public Guid SubscriptionId { get; init; }
    public DateOnly TermEnd { get; init; }
    public int DaysBefore { get; init; }
    public DateTimeOffset SentAt { get; init; }
}

internal sealed class RenewalNoticeConfiguration : IEntityTypeConfiguration<RenewalNotice>
{
    public void Configure(EntityTypeBuilder<RenewalNotice> builder)
    {
        builder.ToTable("renewal_notices");
        // Two instances running the daily check at once: the second one's insert fails, and its email with it.
        builder.HasIndex(n => new { n.OrganizationId, n.SubscriptionId, n.TermEnd, n.DaysBefore }).IsUnique();
        builder.HasOne<Organization>().WithMany().HasForeignKey(n => n.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
