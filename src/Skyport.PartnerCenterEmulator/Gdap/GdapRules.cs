using System.Xml;
using Skyport.PartnerCenterEmulator.Core;

namespace Skyport.PartnerCenterEmulator.Gdap;

/// <summary>Entra role template ids (permissions-reference) and what a relationship grants at a given moment.</summary>
public static class GdapRules
{
    public const string UserAdministrator = "fe930be7-5e62-47db-91af-98c3a49a38b1";
    public const string LicenseAdministrator = "4d6ac14f-3453-41d0-bef9-a3e0c569773a";
    public const string DirectoryReaders = "88d8e3e3-8f55-4a1e-953a-9b9898b8876b";
    public const string DirectoryWriters = "9360feb5-f418-4baa-8175-e2a00bac4301";
    public const string GlobalReader = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";
    public const string CloudApplicationAdministrator = "158c047a-c907-4556-b7ef-446551a6b5f7";
    public const string PrivilegedRoleAdministrator = "e8611ab8-c189-46e8-94e1-60213ab1f814";
    public const string GlobalAdministrator = "62e90394-69f5-4237-9190-012177145e10";

    /// <summary>"GDAP relationship requests expire after 90 days" (partner-center/dap-faq).</summary>
    public static readonly TimeSpan RequestLapsesAfter = TimeSpan.FromDays(90);

    public static readonly string[] AutoExtendDurations = ["P0D", "PT0S", "P180D"];

    /// <summary>An ISO 8601 duration between P1D and P2Y inclusive, or null.</summary>
    public static TimeSpan? Duration(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            var duration = XmlConvert.ToTimeSpan(text);
            return duration >= TimeSpan.FromDays(1) && duration <= TimeSpan.FromDays(730) ? duration : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static void Activate(AdminRelationship relationship, DateTime now)
    {
        relationship.Status = AdminRelationshipStatuses.Active;
        relationship.ActivatedDateTime = now;
        relationship.EndDateTime = now + XmlConvert.ToTimeSpan(relationship.Duration);
        relationship.LastModifiedDateTime = now;
    }

    /// <summary>
    /// Moves a relationship on as time passes: the customer's admin approves after <paramref name="approveAfter"/>
    /// (an emulator setting, off unless set), an unapproved request lapses after 90 days, an active relationship
    /// past its end auto-extends by 180 days when asked to, otherwise expires. Returns whether it changed.
    /// </summary>
    public static bool Advance(AdminRelationship relationship, DateTime now, TimeSpan? approveAfter)
    {
        var before = relationship.Status + relationship.EndDateTime;
        if (relationship.Status == AdminRelationshipStatuses.ApprovalPending && relationship.LockedForApprovalAt is { } locked)
        {
            if (approveAfter is { } wait && locked + wait <= now && now < locked + RequestLapsesAfter) Activate(relationship, locked + wait);
            else if (now >= locked + RequestLapsesAfter) Expire(relationship, locked + RequestLapsesAfter);
        }
        while (relationship.Status == AdminRelationshipStatuses.Active && relationship.EndDateTime is { } end && end <= now)
        {
            if (relationship.AutoExtendDuration == "P180D") relationship.EndDateTime = end.AddDays(180);
            else Expire(relationship, end);
        }
        return before != relationship.Status + relationship.EndDateTime;
    }

    private static void Expire(AdminRelationship relationship, DateTime at)
    {
        relationship.Status = AdminRelationshipStatuses.Expired;
        relationship.LastModifiedDateTime = at;
    }

    /// <summary>Whether an active relationship gives the partner's security groups one of these roles in the tenant.</summary>
    public static bool Grants(Tenant tenant, IReadOnlyCollection<string> anyOfRoles, DateTime now, TimeSpan? approveAfter) =>
        tenant.AdminRelationships.Any(r =>
        {
            Advance(r, now, approveAfter);
            return r.Status == AdminRelationshipStatuses.Active
                && r.AccessAssignments.Any(a => a.Status == "active"
                    && a.RoleDefinitionIds.Any(role => anyOfRoles.Contains(role, StringComparer.OrdinalIgnoreCase)
                        && r.RoleDefinitionIds.Contains(role, StringComparer.OrdinalIgnoreCase)));
        });
}
