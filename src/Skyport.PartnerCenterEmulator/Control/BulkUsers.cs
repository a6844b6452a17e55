using Microsoft.EntityFrameworkCore;
using Skyport.PartnerCenterEmulator.Core;
using Skyport.PartnerCenterEmulator.Users;

namespace Skyport.PartnerCenterEmulator.Control;

/// <summary>
/// Seeds many users into one tenant in one transaction, for tests and benchmarks: Partner Center and Graph create
/// users one request at a time. The users are exactly those a create would make, so both APIs list, find and
/// refuse duplicates of them as of any other user.
/// </summary>
public static class BulkUsers
{
    public const int MaxCount = 50_000;
    private const string DefaultPrefix = "user";

    public static void Map(RouteGroupBuilder control)
    {
        control.MapPost("/tenants/{tenant}/users/bulk", async (string tenant, HttpContext http, EmulatorDb db, EmulatorClock clock) =>
        {
            var domain = tenant.Trim().ToLowerInvariant();
            var found = Guid.TryParse(tenant, out var tenantId)
                ? await db.Tenants.FindAsync(tenantId)
                : await db.Tenants.FirstOrDefaultAsync(t => t.Domain == domain);
            if (found is null || found.IsPartner)
            {
                return Results.Problem($"No customer tenant has the id or domain {tenant}.", statusCode: 404, title: "Unknown tenant");
            }
            var body = await JsonBody.ReadAsync(http.Request);
            if (body is null) return ControlEndpoints.Problem(Shape);
            var count = body.Int("count", required: true);
            var prefix = body.String("prefix") ?? DefaultPrefix;
            var usageLocation = body.String("usageLocation")?.ToUpperInvariant();
            var password = body.String("password");
            var licenseTexts = body.Strings("licenses") ?? [];
            if (body.HasErrors) return ControlEndpoints.Problem($"{string.Join(" ", body.Errors)} {Shape}");
            if (count is < 1 or > MaxCount) return ControlEndpoints.Problem($"count must be between 1 and {MaxCount}.");
            if (!PasswordPolicy.IsValidUserPrincipalName(UserPrincipalName(prefix, count!.Value, found)))
            {
                return ControlEndpoints.Problem($"prefix \"{prefix}\" does not make valid user names (letters, digits and ' . - _ ! # ^ ~, at most 64 characters before @ with the number).");
            }
            if (usageLocation is not null && !TenantDirectory.IsValidUsageLocation(usageLocation)) return ControlEndpoints.Problem("usageLocation must be a two-letter country code.");
            if (password is not null && !PasswordPolicy.IsValid(password)) return ControlEndpoints.Problem(TenantDirectory.Message(DirectoryRefusal.WeakPassword));
            var licenses = new List<AssignedLicense>();
            foreach (var text in licenseTexts.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (!Guid.TryParse(text, out var skuId)) return ControlEndpoints.Problem($"licenses must hold Graph SKU ids (GUIDs); \"{text}\" is not one.");
                licenses.Add(new AssignedLicense(skuId, []));
            }
            if (licenses.Count > 0 && await SeatRefusalAsync(db, found, licenses, count.Value, usageLocation, clock.UtcNow) is { } refused) return refused;

            var names = Enumerable.Range(1, count.Value).Select(n => UserPrincipalName(prefix, n, found)).ToList();
            var taken = (await db.Users.Where(u => u.TenantId == found.Id && u.State != UserStates.Purged).Select(u => u.NormalizedUpn).ToListAsync()).ToHashSet();
            if (names.FirstOrDefault(n => taken.Contains(DirectoryUser.Normalize(n))) is { } duplicate)
            {
                return Results.Problem($"{TenantDirectory.Message(DirectoryRefusal.DuplicateUserPrincipalName)} ({duplicate}); no user was created.",
                    statusCode: 409, title: "User name taken");
            }

            var now = clock.UtcNow;
            var created = new List<DirectoryUser>(names.Count);
            for (var n = 1; n <= names.Count; n++)
            {
                created.Add(await TenantDirectory.AddUserAsync(db, found, new DirectoryUser
                {
                    UserPrincipalName = names[n - 1],
                    DisplayName = $"{prefix} {n:D5}",
                    UsageLocation = usageLocation,
                    Password = password ?? PasswordPolicy.Generate(Random.Shared),
                    ForceChangePassword = true,
                    Licenses = [.. licenses],
                }, now));
            }
            await db.SaveChangesAsync();
            return Results.Created($"/_emulator/tenants/{found.Id}/users", new
            {
                tenantId = found.Id,
                count = created.Count,
                users = created.Select(u => new { id = u.Id, userPrincipalName = u.UserPrincipalName }),
            });
        });
    }

    private const string Shape = "The body must be { \"count\": 1..50000, \"prefix\"?, \"usageLocation\"?, \"password\"?, \"licenses\"?: [skuId] }.";

    private static string UserPrincipalName(string prefix, int number, Tenant tenant) => $"{prefix}{number:D5}@{tenant.Domain}";

    /// <summary>Licenses for every new user need a usage location and that many free seats of each SKU.</summary>
    private static async Task<IResult?> SeatRefusalAsync(EmulatorDb db, Tenant tenant, List<AssignedLicense> licenses, int count, string? usageLocation, DateTime now)
    {
        if (!TenantDirectory.IsValidUsageLocation(usageLocation)) return ControlEndpoints.Problem(TenantDirectory.Message(DirectoryRefusal.InvalidUsageLocation));
        var units = await TenantDirectory.UnitsAsync(db, tenant.Id, now);
        foreach (var license in licenses)
        {
            var sku = units.FirstOrDefault(u => u.Item.GraphSkuId == license.SkuId);
            if (sku is null) return ControlEndpoints.Problem(TenantDirectory.Message(DirectoryRefusal.UnknownSku, license.SkuId));
            if (sku.Assignable < count)
            {
                return ControlEndpoints.Problem($"{TenantDirectory.Message(DirectoryRefusal.NoFreeLicenses, license.SkuId)} {sku.Assignable} free, {count} asked.");
            }
        }
        return null;
    }
}
