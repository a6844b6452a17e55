using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Skyport.Features.Organizations;

namespace Skyport.Features.Directory;

/// <summary>A person in the broker's own directory of a customer's people (not a Microsoft 365 user).</summary>
public sealed class DirectoryPerson
{
    public Guid Id { get; init; } = Guid.NewGuid();
    public Guid OrganizationId { get; init; }
    public required string FirstName { get; set; }
    public required string LastName { get; set; }
    public required string Email { get; set; }
    public string? Phone { get; set; }
    public string? JobTitle { get; set; }

    /// <summary>Set for people exported from the tenant: the hash of the directory password mailed to them.</summary>
    public string? PasswordHash { get; set; }

    /// <summary>The tenant user this person was exported from or imported to.</summary>
    public Guid? TenantUserId { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class DirectoryPersonConfiguration : IEntityTypeConfiguration<DirectoryPerson>
{
    public void Configure(EntityTypeBuilder<DirectoryPerson> builder)
    {
        builder.ToTable("directory_people");
        builder.Property(p => p.FirstName).HasMaxLength(64);
        builder.Property(p => p.LastName).HasMaxLength(64);
        builder.Property(p => p.Email).HasMaxLength(254);
        builder.Property(p => p.Phone).HasMaxLength(40);
        builder.Property(p => p.JobTitle).HasMaxLength(128);
        builder.Property(p => p.PasswordHash).HasMaxLength(500);
        builder.HasIndex(p => new { p.OrganizationId, p.Email }).IsUnique();
        builder.HasOne<Organization>().WithMany().HasForeignKey(p => p.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed record DirectoryPersonDto(Guid Id, string FirstName, string LastName, string Email, string? Phone, string? JobTitle, bool HasPassword, Guid? TenantUserId)
{
    public static DirectoryPersonDto From(DirectoryPerson p) => new(p.Id, p.FirstName, p.LastName, p.Email, p.Phone, p.JobTitle, p.PasswordHash is not null, p.TenantUserId);
}

public sealed record NewDirectoryPersonRequest(string? FirstName, string? LastName, string? Email, string? Phone, string? JobTitle);

public sealed record ImportUsersRequest(IReadOnlyList<Guid>? DirectoryUserIds, string? SendPasswordTo);

public sealed record ExportUsersRequest(IReadOnlyList<Guid>? UserIds, string? SendPasswordTo);

/// <summary>What happened to one person: <c>created</c>, <c>exists</c> (nothing done) or <c>failed</c> (with the reason).</summary>
public sealed record PersonResult(Guid Id, bool Ok, string Status, string Name, Guid? CreatedId = null, string? UserPrincipalName = null, string? Error = null);
