using Microsoft.EntityFrameworkCore;
using Skyport.PartnerCenterEmulator.Control;
using Skyport.PartnerCenterEmulator.Core;

namespace Skyport.PartnerCenterEmulator.Gdap;

/// <summary>
/// Graph <c>tenantRelationships/delegatedAdminRelationships</c> for the partner (tenantrelationship-post-delegatedadminrelationships,
/// delegatedadminrelationship-post-requests, delegatedadminrelationship-post-accessassignments), and the control plane's
/// approval in the customer's name.
/// </summary>
public static class DelegatedAdminEndpoints
{
    private const string Root = "/graph/v1.0/tenantRelationships/delegatedAdminRelationships";

    public static void Map(WebApplication app)
    {
        var relationships = app.MapGroup(Root);
        relationships.MapPost("", CreateAsync);
        relationships.MapGet("", async (HttpContext http, EmulatorDb db, EmulatorClock clock, ProcessingSettings settings, EmulatorOptions options) =>
        {
            if (NotPartner(http, options) is { } refused) return refused;
            var tenants = await db.Tenants.Where(t => !t.IsPartner).ToListAsync();
            var all = tenants.SelectMany(t => t.AdminRelationships.Select(r => (Tenant: t, Relationship: r))).ToList();
            foreach (var (_, r) in all) GdapRules.Advance(r, clock.UtcNow, settings.GdapApproveAfter);
            return Results.Json(new Dictionary<string, object?>
            {
                ["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#tenantRelationships/delegatedAdminRelationships",
                ["value"] = all.OrderBy(x => x.Relationship.CreatedDateTime).Select(x => RelationshipJson(x.Tenant, x.Relationship)).ToList(),
            }, Json.Graph);
        });
        relationships.MapGet("/{id}", async (string id, HttpContext http, EmulatorDb db, EmulatorClock clock, ProcessingSettings settings, EmulatorOptions options) =>
        {
            if (NotPartner(http, options) is { } refused) return refused;
            if (await FindAsync(db, id) is not { } found) return Errors.GraphNotFound(http, id);
            if (GdapRules.Advance(found.Relationship, clock.UtcNow, settings.GdapApproveAfter)) await SaveAsync(db, found.Tenant);
            return Results.Json(RelationshipJson(found.Tenant, found.Relationship, withContext: true), Json.Graph);
        });
        relationships.MapPost("/{id}/requests", RequestAsync);
        relationships.MapGet("/{id}/requests", async (string id, HttpContext http, EmulatorDb db, EmulatorOptions options) =>
        {
            if (NotPartner(http, options) is { } refused) return refused;
            if (await FindAsync(db, id) is not { } found) return Errors.GraphNotFound(http, id);
            return Results.Json(new { value = found.Relationship.Requests.Select(RequestJson) }, Json.Graph);
        });
        relationships.MapPost("/{id}/accessAssignments", AssignAsync);
        relationships.MapGet("/{id}/accessAssignments", async (string id, HttpContext http, EmulatorDb db, EmulatorOptions options) =>
        {
            if (NotPartner(http, options) is { } refused) return refused;
            if (await FindAsync(db, id) is not { } found) return Errors.GraphNotFound(http, id);
            return Results.Json(new Dictionary<string, object?>
            {
                ["@odata.context"] = $"https://graph.microsoft.com/v1.0/$metadata#tenantRelationships/delegatedAdminRelationships('{id}')/accessAssignments",
                ["value"] = found.Relationship.AccessAssignments.Select(a => AssignmentJson(a, a.Status)).ToList(),
            }, Json.Graph);
        });

        // The customer's global administrator approves through the invitation link in the Microsoft 365 admin center;
        // here the control plane does it in their name.
        app.MapPost("/_emulator/relationships/{id}/approve", async (string id, EmulatorDb db, EmulatorClock clock) =>
        {
            if (await FindAsync(db, id) is not { } found) return Results.Problem($"No delegated admin relationship {id}.", statusCode: 404, title: "Not found");
            if (found.Relationship.Status != AdminRelationshipStatuses.ApprovalPending)
                return Results.Problem($"The relationship is {found.Relationship.Status}; only an approvalPending one can be approved.", statusCode: 409, title: "Not pending");
            GdapRules.Activate(found.Relationship, clock.UtcNow);
            await SaveAsync(db, found.Tenant);
            return Results.Ok(RelationshipJson(found.Tenant, found.Relationship));
        });
    }

    private static async Task<IResult> CreateAsync(HttpContext http, EmulatorDb db, EmulatorClock clock, EmulatorOptions options)
    {
        if (NotPartner(http, options) is { } refused) return refused;
        var body = await JsonBody.ReadAsync(http.Request);
        if (body is null) return Errors.GraphBadRequest(http, "The request body is not a valid JSON object.");
        var displayName = body.String("displayName", required: true);
        var durationText = body.String("duration", required: true);
        var customer = body.Object("customer", required: true);
        var tenantText = customer?.String("tenantId", required: true);
        var customerName = customer?.String("displayName");
        var roles = body.Object("accessDetails", required: true)?.Objects("unifiedRoles", required: true);
        var autoExtend = body.String("autoExtendDuration") ?? "PT0S";
        if (body.HasErrors || customer?.HasErrors == true) return Errors.GraphBadRequest(http, "Missing or invalid properties: " + string.Join(" ", body.Errors.Concat(customer?.Errors ?? [])));
        if (displayName!.Length > 50) return Errors.GraphBadRequest(http, "displayName: the maximum length is 50 characters.");
        if (GdapRules.Duration(durationText) is null) return Errors.GraphBadRequest(http, "duration: must be a value between P1D and P2Y inclusive.");
        if (!GdapRules.AutoExtendDurations.Contains(autoExtend)) return Errors.GraphBadRequest(http, "autoExtendDuration: the allowed values are P0D, PT0S and P180D.");
        var roleIds = (roles ?? []).Select(r => r.String("roleDefinitionId")).ToList();
        if (roleIds.Count == 0 || roleIds.Any(r => !Guid.TryParse(r, out _)))
            return Errors.GraphBadRequest(http, "accessDetails.unifiedRoles: name at least one role by its roleDefinitionId.");
        if (autoExtend == "P180D" && roleIds.Contains(GdapRules.GlobalAdministrator, StringComparer.OrdinalIgnoreCase))
            return Errors.GraphBadRequest(http, "autoExtendDuration: a relationship with the Global Administrator role cannot be extended automatically.");
        if (!Guid.TryParse(tenantText, out var tenantId) || await db.Tenants.FirstOrDefaultAsync(t => t.Id == tenantId && !t.IsPartner) is not { } tenant)
            return Errors.GraphBadRequest(http, $"customer.tenantId: no tenant {tenantText}.");
        // "Must be unique across all delegated admin relationships of the partner."
        var nameKey = "gdap-name:" + displayName.ToLowerInvariant();
        if (await db.GetMetaAsync(nameKey) is not null)
            return Errors.Graph(http, 409, "Conflict", $"A delegated admin relationship named '{displayName}' already exists.");
        var now = clock.UtcNow;
        // Opaque to clients; the customer's tenant id first lets the emulator find it without an index.
        var relationship = new AdminRelationship
        {
            Id = $"{tenant.Id}-{Guid.NewGuid()}",
            DisplayName = displayName,
            Duration = durationText!,
            CustomerDisplayName = customerName ?? tenant.CompanyName,
            RoleDefinitionIds = roleIds.Select(r => r!.ToLowerInvariant()).Distinct().ToList(),
            AutoExtendDuration = autoExtend,
            CreatedDateTime = now,
            LastModifiedDateTime = now,
        };
        tenant.AdminRelationships = [.. tenant.AdminRelationships, relationship];
        await db.SetMetaAsync(nameKey, relationship.Id);
        await SaveAsync(db, tenant);
        http.Response.Headers.Location = $"{Base(http)}/{relationship.Id}";
        return Results.Json(RelationshipJson(tenant, relationship, withContext: true), Json.Graph, statusCode: 201);
    }

    private static async Task<IResult> RequestAsync(string id, HttpContext http, EmulatorDb db, EmulatorClock clock, ProcessingSettings settings, EmulatorOptions options)
    {
        if (NotPartner(http, options) is { } refused) return refused;
        if (await FindAsync(db, id) is not { } found) return Errors.GraphNotFound(http, id);
        var body = await JsonBody.ReadAsync(http.Request);
        var action = body?.String("action", required: true);
        var relationship = found.Relationship;
        var now = clock.UtcNow;
        GdapRules.Advance(relationship, now, settings.GdapApproveAfter);
        // v1.0 accepts only lockForApproval and terminate; the customer approves in the admin center, not through this API.
        switch (action)
        {
            case "lockForApproval" when relationship.Status == AdminRelationshipStatuses.Created:
                relationship.Status = AdminRelationshipStatuses.ApprovalPending;
                relationship.LockedForApprovalAt = now;
                break;
            case "terminate" when relationship.Status == AdminRelationshipStatuses.Active:
                relationship.Status = AdminRelationshipStatuses.Terminated;
                relationship.EndDateTime = now;
                break;
            case "lockForApproval" or "terminate":
                return Errors.GraphBadRequest(http, $"The action {action} is not allowed while the relationship is {relationship.Status}.");
            default:
                return Errors.GraphBadRequest(http, "action: the possible values are lockForApproval and terminate.");
        }
        relationship.LastModifiedDateTime = now;
        var request = new AdminRelationshipRequest(Guid.NewGuid().ToString(), action, "succeeded", now);
        relationship.Requests.Add(request);
        await SaveAsync(db, found.Tenant);
        http.Response.Headers.Location = $"{Base(http)}/{relationship.Id}/requests/{request.Id}";
        // Microsoft's example answers "status": "created" for the request it has just accepted.
        return Results.Json(RequestJson(request with { Status = "created" }), Json.Graph, statusCode: 201);
    }

    private static async Task<IResult> AssignAsync(string id, HttpContext http, EmulatorDb db, EmulatorClock clock, ProcessingSettings settings, EmulatorOptions options)
    {
        if (NotPartner(http, options) is { } refused) return refused;
        if (await FindAsync(db, id) is not { } found) return Errors.GraphNotFound(http, id);
        var relationship = found.Relationship;
        var now = clock.UtcNow;
        GdapRules.Advance(relationship, now, settings.GdapApproveAfter);
        if (relationship.Status != AdminRelationshipStatuses.Active)
            return Errors.GraphBadRequest(http, $"Access can only be assigned on an active relationship; this one is {relationship.Status}.");
        var body = await JsonBody.ReadAsync(http.Request);
        if (body is null) return Errors.GraphBadRequest(http, "The request body is not a valid JSON object.");
        var container = body.Object("accessContainer", required: true);
        var containerId = container?.String("accessContainerId", required: true);
        var containerType = container?.String("accessContainerType") ?? "securityGroup";
        var roleIds = (body.Object("accessDetails", required: true)?.Objects("unifiedRoles", required: true) ?? [])
            .Select(r => r.String("roleDefinitionId")?.ToLowerInvariant()).ToList();
        if (body.HasErrors || !Guid.TryParse(containerId, out _) || containerType != "securityGroup")
            return Errors.GraphBadRequest(http, "accessContainer: name a security group by its accessContainerId.");
        if (roleIds.Count == 0 || roleIds.Any(r => r is null || !relationship.RoleDefinitionIds.Contains(r)))
            return Errors.GraphBadRequest(http, "accessDetails.unifiedRoles: every role must be one of the relationship's roles.");
        if (relationship.AccessAssignments.Any(a => a.AccessContainerId.Equals(containerId, StringComparison.OrdinalIgnoreCase) && a.Status == "active"))
            return Errors.Graph(http, 409, "Conflict", $"The security group {containerId} already has an access assignment on this relationship.");
        var assignment = new AccessAssignment
        {
            Id = Guid.NewGuid().ToString(),
            AccessContainerId = containerId!.ToLowerInvariant(),
            RoleDefinitionIds = roleIds.Distinct().ToList()!,
            CreatedDateTime = now,
            LastModifiedDateTime = now,
        };
        relationship.AccessAssignments.Add(assignment);
        await SaveAsync(db, found.Tenant);
        http.Response.Headers.Location = $"{Base(http)}/{relationship.Id}/accessAssignments/{assignment.Id}";
        // Microsoft answers "pending" and provisions later; the emulator's assignment is active as soon as it is stored.
        return Results.Json(AssignmentJson(assignment, "pending"), Json.Graph, statusCode: 201);
    }

    /// <summary>"To manage delegated admin relationships, the calling principal must be in the partner tenant."</summary>
    private static IResult? NotPartner(HttpContext http, EmulatorOptions options) =>
        http.TokenTenant() == options.PartnerTenantId ? null
            : Errors.Graph(http, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");

    private static async Task<(Tenant Tenant, AdminRelationship Relationship)?> FindAsync(EmulatorDb db, string id)
    {
        if (id.Length < 37 || !Guid.TryParse(id[..36], out var tenantId)) return null;
        var tenant = await db.Tenants.FirstOrDefaultAsync(t => t.Id == tenantId);
        var relationship = tenant?.AdminRelationships.FirstOrDefault(r => r.Id.Equals(id, StringComparison.OrdinalIgnoreCase));
        return relationship is null ? null : (tenant!, relationship);
    }

    // The list is a JSON column: assigning a copy makes EF see the change.
    private static async Task SaveAsync(EmulatorDb db, Tenant tenant)
    {
        tenant.AdminRelationships = [.. tenant.AdminRelationships];
        db.Entry(tenant).Property(t => t.AdminRelationships).IsModified = true;
        await db.SaveChangesAsync();
    }

    private static string Base(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}{Root}";

    private static string Date(DateTime? at) => at is { } d ? d.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ") : "";

    public static Dictionary<string, object?> RelationshipJson(Tenant tenant, AdminRelationship r, bool withContext = false)
    {
        var json = new Dictionary<string, object?>();
        json["@odata.type"] = "#microsoft.graph.delegatedAdminRelationship";
        if (withContext) json["@odata.context"] = "https://graph.microsoft.com/v1.0/tenantRelationships/$metadata#delegatedAdminRelationships/$entity";
        json["@odata.etag"] = $"W/\"{Convert.ToBase64String(BitConverter.GetBytes(r.LastModifiedDateTime.Ticks))}\"";
        json["id"] = r.Id;
        json["displayName"] = r.DisplayName;
        json["duration"] = r.Duration;
        json["customer"] = new { tenantId = tenant.Id, displayName = r.CustomerDisplayName };
        json["accessDetails"] = new { unifiedRoles = r.RoleDefinitionIds.Select(id => new { roleDefinitionId = id }) };
        json["status"] = r.Status;
        json["autoExtendDuration"] = r.AutoExtendDuration;
        json["createdDateTime"] = Date(r.CreatedDateTime);
        json["lastModifiedDateTime"] = Date(r.LastModifiedDateTime);
        json["activatedDateTime"] = r.ActivatedDateTime is null ? null : Date(r.ActivatedDateTime);
        json["endDateTime"] = r.EndDateTime is null ? null : Date(r.EndDateTime);
        return json;
    }

    private static object RequestJson(AdminRelationshipRequest r) => new Dictionary<string, object?>
    {
        ["@odata.type"] = "#microsoft.graph.delegatedAdminRelationshipRequest",
        ["id"] = r.Id,
        ["action"] = r.Action,
        ["status"] = r.Status,
        ["createdDateTime"] = Date(r.CreatedDateTime),
        ["lastModifiedDateTime"] = Date(r.CreatedDateTime),
    };

    private static object AssignmentJson(AccessAssignment a, string status) => new Dictionary<string, object?>
    {
        ["@odata.type"] = "#microsoft.graph.delegatedAdminAccessAssignment",
        ["@odata.etag"] = $"W/\"{Convert.ToBase64String(BitConverter.GetBytes(a.LastModifiedDateTime.Ticks))}\"",
        ["id"] = a.Id,
        ["status"] = status,
        ["accessContainer"] = new { accessContainerId = a.AccessContainerId, accessContainerType = a.AccessContainerType },
        ["accessDetails"] = new { unifiedRoles = a.RoleDefinitionIds.Select(id => new { roleDefinitionId = id }) },
        ["createdDateTime"] = Date(a.CreatedDateTime),
        ["lastModifiedDateTime"] = Date(a.LastModifiedDateTime),
    };
}
