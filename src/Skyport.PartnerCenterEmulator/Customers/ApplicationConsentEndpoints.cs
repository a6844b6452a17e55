using Skyport.PartnerCenterEmulator.Core;

namespace Skyport.PartnerCenterEmulator.Customers;

/// <summary>
/// Control panel vendor consent (control-panel-vendor-apis): the partner's application gets a service principal in the
/// customer's tenant, after which Entra issues tokens for it there.
/// </summary>
public static class ApplicationConsentEndpoints
{
    public static void Map(IEndpointRouteBuilder v1)
    {
        v1.MapPost("/customers/{customerId}/applicationconsents", async (string customerId, HttpContext http, EmulatorDb db, EmulatorClock clock) =>
        {
            if (await CustomerEndpoints.FindAsync(db, customerId) is not { } tenant) return CustomerEndpoints.NotFound(customerId);
            var (body, error) = await Pc.BodyAsync(http);
            if (error is not null) return error;
            var applicationId = body!.String("applicationId", required: true);
            var displayName = body.String("displayName");
            var grants = body.Objects("applicationGrants", required: true);
            var parsed = new List<ApplicationGrant>();
            foreach (var (grant, i) in (grants ?? []).Select((g, i) => (g, i)))
            {
                var resource = grant.String("enterpriseApplicationId", required: true);
                var scope = grant.String("scope", required: true);
                body.Absorb(grant, $"applicationGrants[{i}]");
                if (resource is not null && scope is not null) parsed.Add(new ApplicationGrant(resource, scope));
            }
            if (Pc.Invalid(body) is { } invalid) return invalid;
            if (parsed.Count == 0) return Errors.PcInvalid("Invalid property: applicationGrants must name at least one grant.", "applicationGrants");
            if (parsed.FirstOrDefault(g => !Guid.TryParse(g.EnterpriseApplicationId, out _)) is { } bad)
                return Errors.PcInvalid($"Invalid property: enterpriseApplicationId '{bad.EnterpriseApplicationId}' is not a GUID.", "applicationGrants.enterpriseApplicationId");
            if (tenant.ApplicationConsents.Any(c => c.ApplicationId.Equals(applicationId, StringComparison.OrdinalIgnoreCase)))
            {
                // "already exists" (third-party reports; Microsoft documents the 409 status only by omission).
                return Errors.Pc(409, 409, $"Permission entry already exists for application {applicationId} in tenant {tenant.Id}.", applicationId!);
            }
            tenant.ApplicationConsents = [.. tenant.ApplicationConsents, new ApplicationConsent(applicationId!, displayName, parsed, clock.UtcNow)];
            await db.SaveChangesAsync();
            // Microsoft documents no response body; the request is echoed.
            return Pc.Ok(new
            {
                applicationId,
                displayName,
                applicationGrants = parsed.Select(g => new { enterpriseApplicationId = g.EnterpriseApplicationId, scope = g.Scope }),
            }, 201);
        }).RequireAppUser(); // App+User (docs/microsoft-contract.md, table row 3)

        v1.MapDelete("/customers/{customerId}/applicationconsents/{applicationId}", async (string customerId, string applicationId, EmulatorDb db) =>
        {
            if (await CustomerEndpoints.FindAsync(db, customerId) is not { } tenant) return CustomerEndpoints.NotFound(customerId);
            if (!tenant.ApplicationConsents.Any(c => c.ApplicationId.Equals(applicationId, StringComparison.OrdinalIgnoreCase)))
                return Errors.Pc(404, 1000, $"No consent for application {applicationId} in tenant {tenant.Id}.");
            tenant.ApplicationConsents = tenant.ApplicationConsents.Where(c => !c.ApplicationId.Equals(applicationId, StringComparison.OrdinalIgnoreCase)).ToList();
            await db.SaveChangesAsync();
            return Results.NoContent();
        }).RequireAppUser(); // App+User (docs/microsoft-contract.md, table row 3)
    }

    public static bool IsConsented(Tenant tenant, string clientId) =>
        tenant.ApplicationConsents.Any(c => c.ApplicationId.Equals(clientId, StringComparison.OrdinalIgnoreCase));
}
