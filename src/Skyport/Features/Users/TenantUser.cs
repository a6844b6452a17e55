using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Skyport.Features.Billing.Rating;
using Skyport.Features.Organizations;

namespace Skyport.Features.Users;

/// <summary>
/// Skyport's copy of a user of a customer's Microsoft tenant, as Graph last reported it (or as Partner Center
/// answered when Skyport created it). The id is the user's Graph object id.
/// </summary>
public sealed class TenantUser
{
    public Guid Id { get; init; }
    public Guid OrganizationId { get; init; }
    public Guid TenantId { get; init; }
    public required string UserPrincipalName { get; set; }
    public required string DisplayName { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? UsageLocation { get; set; }
    public bool AccountEnabled { get; set; }
    public List<Guid> AssignedSkuIds { get; set; } = [];

    /// <summary>Display name and user name in lower case, so that search is case-insensitive on both databases.</summary>
    public const int SearchKeyLength = 400;

    public string SearchKey { get; private set; } = "";

    /// <summary>The sync round that last saw this user; a full resync removes users an earlier round saw and it did not.</summary>
    public int Round { get; set; }

    public DateTimeOffset SyncedAt { get; set; }

    public void Refresh() => SearchKey = $"{DisplayName} {UserPrincipalName}".ToLowerInvariant();
}

/// <summary>Where a tenant's user sync stands, and which Skyport instance holds its lease.</summary>
public sealed class UserSyncState
{
    public Guid OrganizationId { get; init; }
    public Guid TenantId { get; set; }

    /// <summary>Graph's delta link of the last completed round; the next round starts from it.</summary>
    public string? DeltaLink { get; set; }

    /// <summary>The next page of a round in progress, saved with the page before it: a failed round resumes here.</summary>
    public string? NextLink { get; set; }

    public int Round { get; set; }

    /// <summary>The round in progress reads every user (first sync, or the delta link was refused).</summary>
    public bool FullRound { get; set; } = true;

    public int FullResyncs { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseExpiresAt { get; set; }
    public DateTimeOffset? LastSyncedAt { get; set; }
    public string? LastError { get; set; }
}

/// <summary>
/// A user Skyport deleted. A sync round that read its page before the deletion would bring the user back; the
/// tombstone says to skip it, until a page read after the deletion shows the user again (restored in Partner Center).
/// </summary>
public sealed class TenantUserTombstone
{
    public Guid UserId { get; init; }
    public Guid OrganizationId { get; init; }
    public DateTimeOffset DeletedAt { get; init; }
}

internal sealed class TenantUserTombstoneConfiguration : IEntityTypeConfiguration<TenantUserTombstone>
{
    public void Configure(EntityTypeBuilder<TenantUserTombstone> builder)
    {
        builder.ToTable("tenant_user_tombstones");
        builder.HasKey(t => t.UserId);
        builder.HasIndex(t => new { t.OrganizationId, t.DeletedAt });
        builder.HasOne<Organization>().WithMany().HasForeignKey(t => t.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TenantUserConfiguration : IEntityTypeConfiguration<TenantUser>
{
    public void Configure(EntityTypeBuilder<TenantUser> builder)
    {
        builder.ToTable("tenant_users");
        builder.Property(u => u.Id).ValueGeneratedNever();
        builder.Property(u => u.UserPrincipalName).HasMaxLength(UserNameRules.MaxLength);
        builder.Property(u => u.DisplayName).HasMaxLength(256);
        builder.Property(u => u.FirstName).HasMaxLength(64);
        builder.Property(u => u.LastName).HasMaxLength(64);
        builder.Property(u => u.UsageLocation).HasMaxLength(2);
        builder.Property(u => u.SearchKey).HasMaxLength(TenantUser.SearchKeyLength);
        // The list pages by display name within one organization; this index serves the order, the count and the page.
        builder.HasIndex(u => new { u.OrganizationId, u.DisplayName, u.Id });
        builder.HasIndex(u => new { u.OrganizationId, u.UserPrincipalName });
        builder.HasOne<Organization>().WithMany().HasForeignKey(u => u.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class UserSyncStateConfiguration : IEntityTypeConfiguration<UserSyncState>
{
    public void Configure(EntityTypeBuilder<UserSyncState> builder)
    {
        builder.ToTable("tenant_user_sync");
        builder.HasKey(s => s.OrganizationId);
        builder.Property(s => s.DeltaLink).HasMaxLength(4000);
        builder.Property(s => s.NextLink).HasMaxLength(4000);
        builder.Property(s => s.LeaseOwner).HasMaxLength(200);
        builder.Property(s => s.LastError).HasMaxLength(1000);
        builder.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed record TenantUserDto(
    Guid Id, string UserPrincipalName, string DisplayName, string? FirstName, string? LastName, string? UsageLocation,
    bool AccountEnabled, IReadOnlyList<Guid> SubscriptionIds)
{
    /// <summary>
    /// The user's licenses as the customer's subscriptions that hold them (active or suspended): Microsoft counts licenses
    /// by product, so a user licensed for a product shows every subscription of that product.
    /// </summary>
    public static TenantUserDto From(TenantUser u, IReadOnlyList<LicensedSubscription> subscriptions) => new(
        u.Id, u.UserPrincipalName, u.DisplayName, u.FirstName, u.LastName, u.UsageLocation, u.AccountEnabled,
        LicenseRules.SubscriptionsHeld(u.AssignedSkuIds, [.. subscriptions.Where(s => s.Status is SubscriptionStatus.Active or SubscriptionStatus.Suspended)]));
}

public sealed record NewTenantUserRequest(
    string? FirstName, string? LastName, string? DisplayName, string? UserName, string? UsageLocation,
    bool? GeneratePassword, string? Password, string? SendCredentialsTo);
