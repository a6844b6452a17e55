using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Skyport.Features.Organizations;

namespace Skyport.Features.Users;

/// <summary>
/// The intent to create a tenant user, stored before Partner Center is called. A retry after a lost answer, a timeout
/// or a crash finds it (by the request's <c>Idempotency-Key</c>, or by the same request while it is recent), sends the
/// same <c>MS-RequestId</c> with the same body, or adopts the user Partner Center already made, and sends the
/// credentials email only if it has not left yet.
/// </summary>
public sealed class TenantUserCreation
{
    public Guid Id { get; init; }
    public Guid OrganizationId { get; init; }
    public required string UserPrincipalName { get; init; }

    /// <summary>The caller and the <c>Idempotency-Key</c> of the request that made the intent, when it had a key.</summary>
    public Guid? CallerId { get; init; }
    public string? IdempotencyKey { get; init; }

    /// <summary>A hash of the request's details (not the password): a retry without a key must ask for the same user.</summary>
    public required string RequestHash { get; init; }

    /// <summary>The <c>MS-RequestId</c> of the create: Partner Center answers a repeat of it without making a second user.</summary>
    public Guid RequestId { get; init; }

    /// <summary>
    /// The password sent to Partner Center, encrypted with Data Protection, so that a retry sends the same body and the email
    /// can still go out. Cleared once the user is created and the email is written.
    /// </summary>
    public string? ProtectedPassword { get; set; }

    /// <summary>Partner Center's id of the user, once its answer (or a look-up) gave it.</summary>
    public Guid? UserId { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? EmailQueuedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public int Version { get; set; }
}

internal sealed class TenantUserCreationConfiguration : IEntityTypeConfiguration<TenantUserCreation>
{
    public void Configure(EntityTypeBuilder<TenantUserCreation> builder)
    {
        builder.ToTable("tenant_user_creations");
        builder.Property(c => c.UserPrincipalName).HasMaxLength(UserNameRules.MaxLength);
        builder.Property(c => c.IdempotencyKey).HasMaxLength(200);
        builder.Property(c => c.RequestHash).HasMaxLength(64);
        builder.Property(c => c.ProtectedPassword).HasMaxLength(2000);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.HasIndex(c => new { c.CallerId, c.IdempotencyKey, c.UserPrincipalName }).IsUnique();
        builder.HasIndex(c => new { c.OrganizationId, c.UserPrincipalName });
        builder.HasIndex(c => c.CreatedAt);
        builder.HasOne<Organization>().WithMany().HasForeignKey(c => c.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
