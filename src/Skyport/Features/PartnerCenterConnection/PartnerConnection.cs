using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Skyport.Features.PartnerCenterConnection;

/// <summary>
/// The installation's one connection to Partner Center as a broker administrator set it up: the partner's application
/// (its secret encrypted with Data Protection) and MSAL's token cache (encrypted too), shared by every instance.
/// </summary>
public sealed class PartnerConnection
{
    public const int TheOne = 1;

    public int Id { get; init; } = TheOne;
    public string? TenantId { get; set; }
    public string? ClientId { get; set; }
    public string? ProtectedClientSecret { get; set; }
    /// <summary>MSAL's user token cache (the App+User refresh token), encrypted.</summary>
    public string? ProtectedTokenCache { get; set; }
    /// <summary>MSAL's home account id of the signed-in user (<c>{uid}.{utid}</c>), its key into the token cache.</summary>
    public string? AccountId { get; set; }
    public string? SignedInUser { get; set; }
    public string? SignedInName { get; set; }
    public DateTimeOffset? SignedInAt { get; set; }
    /// <summary>Why the last refresh was refused (revoked, expired): a broker administrator must sign in again.</summary>
    public string? SignInNeeded { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class PartnerConnectionConfiguration : IEntityTypeConfiguration<PartnerConnection>
{
    public void Configure(EntityTypeBuilder<PartnerConnection> builder)
    {
        builder.ToTable("partner_center_connections");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.TenantId).HasMaxLength(100);
        builder.Property(c => c.ClientId).HasMaxLength(100);
        builder.Property(c => c.AccountId).HasMaxLength(300);
        builder.Property(c => c.SignedInUser).HasMaxLength(300);
        builder.Property(c => c.SignedInName).HasMaxLength(300);
        builder.Property(c => c.SignInNeeded).HasMaxLength(2000);
    }
}
