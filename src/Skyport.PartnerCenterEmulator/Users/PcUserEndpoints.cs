using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Skyport.PartnerCenterEmulator.Catalog;
using Skyport.PartnerCenterEmulator.Core;
using Skyport.PartnerCenterEmulator.Customers;
using Skyport.PartnerCenterEmulator.Gdap;

namespace Skyport.PartnerCenterEmulator.Users;

/// <summary>Partner Center customer users, their licenses and the tenant's subscribed SKUs.</summary>
public static class PcUserEndpoints
{
    public static void Map(IEndpointRouteBuilder v1)
    {
        // App+User only: create-user-accounts-for-a-customer, get-a-list-of-all-user-accounts-for-a-customer,
        // update-user-accounts-for-a-customer, delete-user-accounts-for-a-customer, assign-licenses-to-a-user (current pages);
        // get user by id, reset password, restore, deleted users, a user's licenses (2021 pages).
        var users = v1.MapGroup("/customers/{customerId}/users").RequireAppUser();

        users.MapPost("", async (string customerId, HttpContext http, EmulatorDb db, EmulatorClock clock) =>
        {
            if (await CustomerEndpoints.FindAsync(db, customerId) is not { } tenant) return CustomerEndpoints.NotFound(customerId);
            var (body, error) = await Pc.BodyAsync(http);
            if (error is not null) return error;
            var upn = body!.String("userPrincipalName", required: true)?.Trim();
            var displayName = body.String("displayName", required: true);
            var firstName = body.String("firstName");
            var lastName = body.String("lastName");
            var usageLocation = body.String("usageLocation")?.ToUpperInvariant();
            var immutableId = body.String("immutableId");
            var phone = body.String("phoneNumber");
            var profile = body.Object("passwordProfile", required: true);
            var password = profile?.String("password", required: true);
            var force = profile?.Bool("forceChangePassword") ?? true;
            body.Absorb(profile, "passwordProfile");
            if (Pc.Invalid(body) is { } invalid) return invalid;
            if (usageLocation is not null && !TenantDirectory.IsValidUsageLocation(usageLocation)) return Errors.PcInvalid("Invalid property: usageLocation must be a two-letter country code.", "usageLocation");
            var refusal = await TenantDirectory.CheckUserPrincipalNameAsync(db, tenant, upn!, null);
            if (refusal == DirectoryRefusal.None && !PasswordPolicy.IsValid(password)) refusal = DirectoryRefusal.WeakPassword;
            if (refusal != DirectoryRefusal.None) return Refused(refusal, null);
            var user = await TenantDirectory.AddUserAsync(db, tenant, new DirectoryUser
            {
                UserPrincipalName = upn!,
                DisplayName = displayName!,
                GivenName = firstName,
                Surname = lastName,
                UsageLocation = usageLocation,
                ImmutableId = immutableId,
                PhoneNumber = phone,
                Password = password!,
                ForceChangePassword = force,
            }, clock.UtcNow);
            await db.SaveChangesAsync();
            return Pc.Ok(UserJson(user, includePassword: true));
        }).RequireGdap(GdapGate.WriteUsers);

        users.MapGet("", async (string customerId, HttpContext http, EmulatorDb db) =>
        {
            if (await CustomerEndpoints.FindAsync(db, customerId) is not { } tenant) return CustomerEndpoints.NotFound(customerId);
            var (size, after, error) = Pc.Paging(http, 100);
            if (error is not null) return error;
            var state = UserStates.Active;
            var filterText = http.Request.Query["filter"].ToString();
            if (filterText.Length > 0)
            {
                if (ParseStateFilter(filterText) is not { } filtered) return Errors.PcInvalid("The filter is not valid. Use {\"Field\":\"UserState\",\"Value\":\"Inactive\",\"Operator\":\"equals\"}.", "filter");
                state = filtered;
            }
            var page = await db.Users.Where(u => u.TenantId == tenant.Id && u.State == state && u.Seq > after)
                .OrderBy(u => u.Seq).Take(size + 1).ToListAsync();
            var more = page.Count > size;
            page = page.Take(size).ToList();
            var items = page.Select(u => UserJson(u)).ToList();
            var self = $"/customers/{tenant.Id}/users?size={size}";
            var filterQuery = filterText.Length > 0 ? "&filter=" + Uri.EscapeDataString(filterText) : "";
            return Pc.Ok(more
                ? Pc.Collection(items, self, self + "&seekOperation=Next" + filterQuery, Pc.Token(page[^1].Seq))
                : Pc.Collection(items, self));
        }).RequireGdap(GdapGate.ReadUsers);

        users.MapGet("/{userId}", async (string customerId, string userId, EmulatorDb db) =>
        {
            if (await CustomerEndpoints.FindAsync(db, customerId) is not { } tenant) return CustomerEndpoints.NotFound(customerId);
            return await FindAsync(db, tenant.Id, userId) is { } user ? Pc.Ok(UserJson(user)) : UserNotFound(userId);
        }).RequireGdap(GdapGate.ReadUsers);

        users.MapPatch("/{userId}", async (string customerId, string userId, HttpContext http, EmulatorDb db) =>
        {
            if (await CustomerEndpoints.FindAsync(db, customerId) is not { } tenant) return CustomerEndpoints.NotFound(customerId);
            if (await FindAsync(db, tenant.Id, userId) is not { } user) return UserNotFound(userId);
            var (body, error) = await Pc.BodyAsync(http);
            if (error is not null) return error;
            var upn = body!.String("userPrincipalName")?.Trim();
            var displayName = body.String("displayName");
            var firstName = body.String("firstName");
            var lastName = body.String("lastName");
            var usageLocation = body.String("usageLocation")?.ToUpperInvariant();
            var phone = body.String("phoneNumber");
            var state = body.String("state")?.ToLowerInvariant();
            var profile = body.Object("passwordProfile");
            var password = profile?.String("password", required: true);
            var force = profile?.Bool("forceChangePassword");
            body.Absorb(profile, "passwordProfile");
            if (Pc.Invalid(body) is { } invalid) return invalid;
            if (state is not (null or UserStates.Active or UserStates.Inactive)) return Errors.PcInvalid("Invalid property: state must be active.", "state");
            if (user.State == UserStates.Inactive && state != UserStates.Active)
            {
                return Errors.PcInvalid("The user is deleted; restore it with state active first.", "state");
            }
            if (usageLocation is not null && !TenantDirectory.IsValidUsageLocation(usageLocation)) return Errors.PcInvalid("Invalid property: usageLocation must be a two-letter country code.", "usageLocation");
            if (upn is not null && !upn.Equals(user.UserPrincipalName, StringComparison.OrdinalIgnoreCase))
            {
                var refusal = await TenantDirectory.CheckUserPrincipalNameAsync(db, tenant, upn, user.Id);
                if (refusal != DirectoryRefusal.None) return Refused(refusal, null);
            }
            if (state == UserStates.Active && user.State == UserStates.Inactive
                && await TenantDirectory.CheckUserPrincipalNameAsync(db, tenant, upn ?? user.UserPrincipalName, user.Id) == DirectoryRefusal.DuplicateUserPrincipalName)
            {
                return Refused(DirectoryRefusal.DuplicateUserPrincipalName, null);
            }
            if (profile is not null && !PasswordPolicy.IsValid(password)) return Refused(DirectoryRefusal.WeakPassword, null);

            if (upn is not null) user.UserPrincipalName = upn;
            if (displayName is not null) user.DisplayName = displayName;
            if (firstName is not null) user.GivenName = firstName;
            if (lastName is not null) user.Surname = lastName;
            if (usageLocation is not null) user.UsageLocation = usageLocation;
            if (phone is not null) user.PhoneNumber = phone;
            if (profile is not null)
            {
                user.Password = password!;
                user.ForceChangePassword = force ?? true;
            }
            if (state == UserStates.Active && user.State == UserStates.Inactive)
            {
                user.State = UserStates.Active;
                user.SoftDeletedAt = null;
            }
            await TenantDirectory.TouchAsync(db, user);
            await db.SaveChangesAsync();
            return Pc.Ok(UserJson(user, includePassword: profile is not null));
        }).RequireGdap(GdapGate.WriteUsers);

        users.MapDelete("/{userId}", async (string customerId, string userId, EmulatorDb db, EmulatorClock clock) =>
        {
            if (await CustomerEndpoints.FindAsync(db, customerId) is not { } tenant) return CustomerEndpoints.NotFound(customerId);
            if (await TenantDirectory.FindUserAsync(db, tenant.Id, userId) is not { } user) return UserNotFound(userId);
            user.State = UserStates.Inactive;
            user.SoftDeletedAt = clock.UtcNow;
            await TenantDirectory.TouchAsync(db, user);
            await db.SaveChangesAsync();
            return Results.NoContent();
        }).RequireGdap(GdapGate.DeleteUsers);

        users.MapGet("/{userId}/licenses", async (string customerId, string userId, EmulatorDb db) =>
        {
            if (await CustomerEndpoints.FindAsync(db, customerId) is not { } tenant) return CustomerEndpoints.NotFound(customerId);
            if (await FindAsync(db, tenant.Id, userId) is not { } user) return UserNotFound(userId);
            var items = user.Licenses.Select(l => CatalogData.ByGraphSku(l.SkuId)!).Select(i => (object)new
            {
                servicePlans = Array.Empty<object>(),
                productSku = ProductSkuJson(i),
                attributes = Pc.Attributes("License"),
            }).ToList();
            return Pc.Ok(Pc.Collection(items, $"/customers/{tenant.Id}/users/{user.Id}/licenses"));
        }).RequireGdap(GdapGate.ReadLicenses);

        users.MapPost("/{userId}/licenseupdates", async (string customerId, string userId, HttpContext http, EmulatorDb db, EmulatorClock clock) =>
        {
            if (await CustomerEndpoints.FindAsync(db, customerId) is not { } tenant) return CustomerEndpoints.NotFound(customerId);
            if (await FindAsync(db, tenant.Id, userId) is not { State: UserStates.Active } user) return UserNotFound(userId);
            var (body, error) = await Pc.BodyAsync(http);
            if (error is not null) return error;
            var toAssign = body!.Objects("licensesToAssign") ?? [];
            var toRemoveText = body.Strings("licensesToRemove") ?? [];
            var add = new List<AssignedLicense>();
            foreach (var item in toAssign)
            {
                var sku = item.String("skuId", required: true);
                var excluded = item.Strings("excludedPlans") ?? [];
                body.Absorb(item, "licensesToAssign");
                if (sku is null) continue;
                if (!Guid.TryParse(sku, out var skuId) || excluded.Any(e => !Guid.TryParse(e, out _)))
                {
                    body.AddError("licensesToAssign.skuId must be a GUID.");
                    continue;
                }
                add.Add(new AssignedLicense(skuId, excluded.Select(Guid.Parse).ToList()));
            }
            var remove = new List<Guid>();
            foreach (var text in toRemoveText)
            {
                if (Guid.TryParse(text, out var skuId)) remove.Add(skuId);
                else body.AddError("licensesToRemove must hold SKU GUIDs.");
            }
            if (Pc.Invalid(body) is { } invalid) return invalid;
            if (add.Count == 0 && remove.Count == 0) return Errors.PcInvalid("Invalid property: licensesToAssign or licensesToRemove must name at least one SKU.", "licensesToAssign");
            var (refusal, failedSku) = await TenantDirectory.UpdateLicensesAsync(db, user, add, remove, clock.UtcNow);
            if (refusal != DirectoryRefusal.None) return Refused(refusal, failedSku);
            await db.SaveChangesAsync();
            return Pc.Ok(new
            {
                licensesToAssign = add.Select(a => new { skuId = a.SkuId, excludedPlans = a.DisabledPlans }).ToArray(),
                licensesToRemove = remove,
                licenseWarnings = Array.Empty<object>(),
                attributes = Pc.Attributes("LicenseUpdate"),
            }, 201);
        }).RequireGdap(GdapGate.AssignLicenses);

        v1.MapGet("/customers/{customerId}/subscribedskus", async (string customerId, EmulatorDb db, EmulatorClock clock) =>
        {
            if (await CustomerEndpoints.FindAsync(db, customerId) is not { } tenant) return CustomerEndpoints.NotFound(customerId);
            var units = await TenantDirectory.UnitsAsync(db, tenant.Id, clock.UtcNow);
            var items = units.Select(u => (object)new
            {
                availableUnits = u.Available,
                activeUnits = u.Active,
                consumedUnits = u.Consumed,
                suspendedUnits = u.Suspended,
                totalUnits = u.Total,
                warningUnits = u.Warning,
                productSku = ProductSkuJson(u.Item),
                servicePlans = Array.Empty<object>(),
                capabilityStatus = u.CapabilityStatus,
                attributes = Pc.Attributes("SubscribedSku"),
            }).ToList();
            return Pc.Ok(Pc.Collection(items, $"/customers/{tenant.Id}/subscribedskus"));
        }).RequireAppUser().RequireGdap(GdapGate.ReadLicenses); // get-a-list-of-available-licenses
    }

    private static object ProductSkuJson(CatalogItem i) => new
    {
        id = i.GraphSkuId,
        name = i.Title,
        skuPartNumber = i.SkuPartNumber,
        targetType = "User",
        licenseGroupId = "group1",
    };

    private static Task<DirectoryUser?> FindAsync(EmulatorDb db, Guid tenantId, string userId) =>
        Guid.TryParse(userId, out _) ? TenantDirectory.FindUserAsync(db, tenantId, userId, includeDeleted: true) : Task.FromResult<DirectoryUser?>(null);

    public static IResult UserNotFound(string userId) => Errors.Pc(404, 60002, "User object Id is not found", $"User {userId} was not found.");

    private static IResult Refused(DirectoryRefusal refusal, Guid? skuId) => refusal switch
    {
        DirectoryRefusal.NoFreeLicenses => Errors.Pc(400, 60012,
            "We're sorry, it looks like you've run out of licenses. Buy more licenses, and then try again.",
            $"LicenseQuotaExceededException : Subscription with SKU {skuId} does not have any available licenses left."),
        DirectoryRefusal.DuplicateUserPrincipalName => Errors.PcInvalid(TenantDirectory.Message(refusal), "userPrincipalName"),
        _ => Errors.PcInvalid(TenantDirectory.Message(refusal, skuId)),
    };

    private static string? ParseStateFilter(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return null;
            var body = JsonBody.Of(doc.RootElement.Clone());
            var field = body.String("field");
            var value = body.String("value")?.ToLowerInvariant();
            var op = body.String("operator");
            if (body.HasErrors || !"UserState".Equals(field, StringComparison.OrdinalIgnoreCase) || !"equals".Equals(op, StringComparison.OrdinalIgnoreCase)) return null;
            return value is UserStates.Active or UserStates.Inactive ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static object UserJson(DirectoryUser u, bool includePassword = false) => new
    {
        usageLocation = u.UsageLocation,
        id = u.Id,
        userPrincipalName = u.UserPrincipalName,
        firstName = u.GivenName,
        lastName = u.Surname,
        displayName = u.DisplayName,
        immutableId = u.ImmutableId,
        passwordProfile = includePassword ? new { forceChangePassword = u.ForceChangePassword, password = u.Password } : null,
        phoneNumber = u.PhoneNumber,
        lastDirectorySyncTime = (string?)null,
        userDomainType = "none",
        state = u.State,
        softDeletionTime = u.SoftDeletedAt is { } at ? Pc.Date(at) : null,
        links = new { self = Pc.Link($"/customers/{u.TenantId}/users/{u.Id}") },
        attributes = Pc.Attributes("CustomerUser"),
    };
}
