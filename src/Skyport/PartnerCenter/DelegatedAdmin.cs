using Microsoft.Extensions.Options;
using Microsoft.Graph.Models;

namespace Skyport.PartnerCenter;

/// <summary>
/// GDAP through Microsoft Graph in the partner's own tenant: the relationship Skyport asks each customer for, its
/// approval request and the access assignment that gives the partner's security group the roles.
/// </summary>
public sealed class DelegatedAdmin(PartnerCenterGraph graphs, IOptions<PartnerCenterOptions> options)
{
    /// <summary>Entra role template ids (permissions-reference): users and licenses are all Skyport manages.</summary>
    public const string UserAdministrator = "fe930be7-5e62-47db-91af-98c3a49a38b1";
    public const string LicenseAdministrator = "4d6ac14f-3453-41d0-bef9-a3e0c569773a";
    public static readonly string[] Roles = [UserAdministrator, LicenseAdministrator];
    public static readonly TimeSpan Duration = TimeSpan.FromDays(730);

    /// <summary>The approval link the customer's admin opens (delegatedadminrelationships-api-overview, with the relationship id).</summary>
    public static string ApprovalUrl(string relationshipId) =>
        $"https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/{relationshipId}";

    private Microsoft.Graph.GraphServiceClient Graph => graphs.ForTenant(options.Value.TenantId!);

    /// <summary>The relationship of this name, if an earlier attempt made it (names are unique across the partner's relationships).</summary>
    public async Task<DelegatedAdminRelationship?> FindAsync(string displayName, CancellationToken ct)
    {
        var page = await Graph.TenantRelationships.DelegatedAdminRelationships.GetAsync(cancellationToken: ct);
        while (page is not null)
        {
            if (page.Value?.FirstOrDefault(r => r.DisplayName == displayName) is { } found) return found;
            page = page.OdataNextLink is { } next
                ? await Graph.TenantRelationships.DelegatedAdminRelationships.WithUrl(next).GetAsync(cancellationToken: ct)
                : null;
        }
        return null;
    }

    public Task<DelegatedAdminRelationship?> GetAsync(string id, CancellationToken ct) =>
        Graph.TenantRelationships.DelegatedAdminRelationships[id].GetAsync(cancellationToken: ct);

    public Task<DelegatedAdminRelationship?> CreateAsync(string displayName, Guid customerTenantId, string customerName, CancellationToken ct) =>
        Graph.TenantRelationships.DelegatedAdminRelationships.PostAsync(new DelegatedAdminRelationship
        {
            DisplayName = displayName,
            Duration = Duration,
            Customer = new DelegatedAdminRelationshipCustomerParticipant { TenantId = customerTenantId.ToString(), DisplayName = customerName },
            AccessDetails = new DelegatedAdminAccessDetails { UnifiedRoles = Roles.Select(r => new UnifiedRole { RoleDefinitionId = r }).ToList() },
            AutoExtendDuration = TimeSpan.FromDays(180),
        }, cancellationToken: ct);

    public Task LockForApprovalAsync(string id, CancellationToken ct) =>
        Graph.TenantRelationships.DelegatedAdminRelationships[id].Requests.PostAsync(
            new DelegatedAdminRelationshipRequest { Action = DelegatedAdminRelationshipRequestAction.LockForApproval }, cancellationToken: ct);

    /// <summary>Gives the partner's security group the roles, unless an earlier attempt already did.</summary>
    public async Task EnsureAccessAssignedAsync(string id, CancellationToken ct)
    {
        var group = options.Value.GdapSecurityGroupId.ToString();
        var existing = await Graph.TenantRelationships.DelegatedAdminRelationships[id].AccessAssignments.GetAsync(cancellationToken: ct);
        if (existing?.Value?.Any(a => string.Equals(a.AccessContainer?.AccessContainerId, group, StringComparison.OrdinalIgnoreCase)) == true) return;
        await Graph.TenantRelationships.DelegatedAdminRelationships[id].AccessAssignments.PostAsync(new DelegatedAdminAccessAssignment
        {
            AccessContainer = new DelegatedAdminAccessContainer { AccessContainerId = group, AccessContainerType = DelegatedAdminAccessContainerType.SecurityGroup },
            AccessDetails = new DelegatedAdminAccessDetails { UnifiedRoles = Roles.Select(r => new UnifiedRole { RoleDefinitionId = r }).ToList() },
        }, cancellationToken: ct);
    }
}
