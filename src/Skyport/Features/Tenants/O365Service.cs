using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Skyport.Features.Organizations;

namespace Skyport.Features.Tenants;

public enum O365Status
{
    /// <summary>Recorded before Partner Center is called; a retry continues from here.</summary>
    Provisioning,
    /// <summary>The domain belongs to an existing tenant; waiting for its administrator to accept the reseller relationship.</summary>
    AwaitingRelationship,
    /// <summary>The tenant is ours; the customer's admin has not yet approved the GDAP relationship Skyport needs for users and licenses.</summary>
    AwaitingApproval,
    Active,
}

/// <summary>A customer's O365 CSP Direct service: its Microsoft tenant and how far onboarding got.</summary>
public sealed class O365Service
{
    public Guid Id { get; init; } = Guid.NewGuid();
    public Guid OrganizationId { get; init; }
    public required string DomainPrefix { get; set; }
    public required string Domain { get; set; }
    public O365Status Status { get; set; }

    /// <summary>Sent as <c>MS-RequestId</c> when creating the customer, so that Partner Center never creates it twice.</summary>
    public Guid CustomerRequestId { get; set; } = Guid.NewGuid();
    /// <summary>Sent as <c>MS-RequestId</c> when creating the admin user.</summary>
    public Guid AdminUserRequestId { get; set; } = Guid.NewGuid();

    /// <summary>The domain belonged to a tenant that existed before: it is linked by a reseller relationship, not created.</summary>
    public bool ExistingTenant { get; set; }
    /// <summary>When a create was last sent to Partner Center; until it is answered, the tenant may exist.</summary>
    public DateTimeOffset? CreateRequestedAt { get; set; }
    public Guid? TenantId { get; set; }
    public string? AdminUserPrincipalName { get; set; }
    public Guid? AdminUserId { get; set; }
    public required string CredentialsEmail { get; set; }
    public DateTimeOffset? CredentialsQueuedAt { get; set; }
    public string? RelationshipRequestUrl { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ActivatedAt { get; set; }
    /// <summary>When the customer's contact accepted the Microsoft Customer Agreement in Skyport (the form or the API).</summary>
    public DateTimeOffset? AgreementAcceptedAt { get; set; }
    /// <summary>When Partner Center recorded the partner's attestation of that acceptance.</summary>
    public DateTimeOffset? AgreementAttestedAt { get; set; }
    /// <summary>When Skyport's application was consented in the tenant (Graph tokens for it work from then on).</summary>
    public DateTimeOffset? ApplicationConsentedAt { get; set; }
    /// <summary>The GDAP relationship asked of the customer; its name is derived from this service, so a lost answer is found again.</summary>
    public string? GdapRelationshipId { get; set; }
    /// <summary>The relationship's status as Graph last reported it (created, approvalPending, active, expiring, expired, terminated…).</summary>
    public string? GdapStatus { get; set; }
    public DateTimeOffset? GdapEndsAt { get; set; }
    public DateTimeOffset? GdapAccessAssignedAt { get; set; }
    public int Version { get; set; }

    /// <summary>Unique across the partner's relationships, as Graph requires, and at most 50 characters.</summary>
    public string GdapDisplayName => "Skyport " + Id.ToString("N")[..24];
}

internal sealed class O365ServiceConfiguration : IEntityTypeConfiguration<O365Service>
{
    public void Configure(EntityTypeBuilder<O365Service> builder)
    {
        builder.ToTable("o365_services");
        builder.HasIndex(s => s.OrganizationId).IsUnique();
        builder.HasIndex(s => s.Domain).IsUnique();
        builder.HasIndex(s => s.TenantId).IsUnique();
        builder.Property(s => s.DomainPrefix).HasMaxLength(OnboardingRules.MaxPrefixLength);
        builder.Property(s => s.Domain).HasMaxLength(64);
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(32);
        builder.Property(s => s.AdminUserPrincipalName).HasMaxLength(113);
        builder.Property(s => s.CredentialsEmail).HasMaxLength(254);
        builder.Property(s => s.RelationshipRequestUrl).HasMaxLength(500);
        builder.Property(s => s.LastError).HasMaxLength(1000);
        builder.Property(s => s.GdapRelationshipId).HasMaxLength(100);
        builder.Property(s => s.GdapStatus).HasMaxLength(32);
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed record O365ServiceDto(
    Guid? TenantId, string Domain, string? AdminUserPrincipalName, string Status, DateTimeOffset CreatedAt, string? RelationshipRequestUrl,
    DelegatedAdminDto? DelegatedAdmin)
{
    public static O365ServiceDto From(O365Service s) => new(
        s.TenantId, s.Domain, s.AdminUserPrincipalName,
        s.Status switch
        {
            O365Status.Active => "active",
            O365Status.AwaitingRelationship => "awaitingRelationship",
            O365Status.AwaitingApproval => "awaitingApproval",
            _ => "provisioning",
        },
        s.CreatedAt, s.RelationshipRequestUrl,
        s.GdapRelationshipId is { } id ? new DelegatedAdminDto(id, s.GdapStatus ?? "created", PartnerCenter.DelegatedAdmin.ApprovalUrl(id), s.GdapEndsAt) : null);
}

/// <summary>The GDAP relationship: its status and the link the customer's admin approves it with.</summary>
public sealed record DelegatedAdminDto(string RelationshipId, string Status, string ApprovalUrl, DateTimeOffset? EndsAt);

public sealed record AgreementAcceptance(bool? Accepted);

public sealed record AddO365Request(string? DomainPrefix, Contact? Contact, AgreementAcceptance? MicrosoftCustomerAgreement = null);
