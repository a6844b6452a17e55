namespace Skyport.PartnerCenterEmulator.Gdap;

/// <summary>
/// A granular delegated admin relationship (Graph delegatedAdminRelationship): the partner asks for Entra roles in a
/// customer tenant; the customer's admin approves; the roles apply to the partner's security groups named in access
/// assignments. Statuses as Microsoft documents them (resources/delegatedadminrelationship).
/// </summary>
public sealed class AdminRelationship
{
    public string Id { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string Duration { get; set; } = "";
    public string? CustomerDisplayName { get; set; }
    public List<string> RoleDefinitionIds { get; set; } = [];
    public string AutoExtendDuration { get; set; } = "PT0S";
    public string Status { get; set; } = AdminRelationshipStatuses.Created;
    public DateTime CreatedDateTime { get; set; }
    public DateTime LastModifiedDateTime { get; set; }
    public DateTime? LockedForApprovalAt { get; set; }
    public DateTime? ActivatedDateTime { get; set; }
    public DateTime? EndDateTime { get; set; }
    public List<AdminRelationshipRequest> Requests { get; set; } = [];
    public List<AccessAssignment> AccessAssignments { get; set; } = [];
}

public sealed record AdminRelationshipRequest(string Id, string Action, string Status, DateTime CreatedDateTime);

public sealed class AccessAssignment
{
    public string Id { get; set; } = "";
    public string AccessContainerId { get; set; } = "";
    public string AccessContainerType { get; set; } = "securityGroup";
    public List<string> RoleDefinitionIds { get; set; } = [];
    public string Status { get; set; } = "active";
    public DateTime CreatedDateTime { get; set; }
    public DateTime LastModifiedDateTime { get; set; }
}

public static class AdminRelationshipStatuses
{
    public const string Created = "created";
    public const string ApprovalPending = "approvalPending";
    public const string Active = "active";
    public const string Expiring = "expiring";
    public const string Expired = "expired";
    public const string Terminated = "terminated";
}
