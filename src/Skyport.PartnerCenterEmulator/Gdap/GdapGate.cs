using Skyport.PartnerCenterEmulator.Control;
using Skyport.PartnerCenterEmulator.Core;
using Skyport.PartnerCenterEmulator.Customers;

namespace Skyport.PartnerCenterEmulator.Gdap;

/// <summary>
/// Partner Center acts on a customer's users and licenses only through an active GDAP relationship whose access
/// assignment gives the partner one of the roles the page lists (create-user-accounts-for-a-customer,
/// assign-licenses-to-a-user, get-a-list-of-available-licenses…; docs/microsoft-contract.md §2).
/// </summary>
public static class GdapGate
{
    public static readonly string[] ReadUsers = [GdapRules.DirectoryReaders, GdapRules.GlobalReader, GdapRules.UserAdministrator];
    public static readonly string[] WriteUsers = [GdapRules.UserAdministrator, GdapRules.DirectoryWriters];
    public static readonly string[] DeleteUsers = [GdapRules.UserAdministrator];
    public static readonly string[] ReadLicenses = [GdapRules.DirectoryReaders, GdapRules.GlobalReader, GdapRules.UserAdministrator, GdapRules.LicenseAdministrator];
    public static readonly string[] AssignLicenses = [GdapRules.LicenseAdministrator, GdapRules.UserAdministrator, GdapRules.DirectoryWriters];

    public static TBuilder RequireGdap<TBuilder>(this TBuilder builder, string[] anyOfRoles) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var customerId = http.GetRouteValue("customerId")?.ToString() ?? "";
            var db = http.RequestServices.GetRequiredService<EmulatorDb>();
            // An unknown customer keeps its 404; the handler answers it.
            if (await CustomerEndpoints.FindAsync(db, customerId) is { } tenant)
            {
                var now = http.RequestServices.GetRequiredService<EmulatorClock>().UtcNow;
                var approveAfter = http.RequestServices.GetRequiredService<ProcessingSettings>().GdapApproveAfter;
                if (!GdapRules.Grants(tenant, anyOfRoles, now, approveAfter)) return Refused();
            }
            return await next(context);
        });

    /// <summary>error-codes: "Forbidden | 403 | 900308 | Insufficient privileges to complete the operation." (not mapped to GDAP by Microsoft).</summary>
    public static IResult Refused() => Errors.Pc(403, 900308, "Insufficient privileges to complete the operation.");
}
