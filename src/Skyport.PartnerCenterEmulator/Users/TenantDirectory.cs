using Microsoft.EntityFrameworkCore;
using Skyport.PartnerCenterEmulator.Catalog;
using Skyport.PartnerCenterEmulator.Core;

namespace Skyport.PartnerCenterEmulator.Users;

/// <summary>What the directory refuses; Partner Center and Graph each word it in their own shape.</summary>
public enum DirectoryRefusal
{
    None,
    InvalidUserPrincipalName,
    DomainNotInTenant,
    DuplicateUserPrincipalName,
    WeakPassword,
    InvalidUsageLocation,
    UnknownSku,
    NoFreeLicenses,
}

/// <summary>Seats of one SKU in a tenant, summed over its subscriptions.</summary>
public sealed record SkuUnits(CatalogItem Item, int Active, int Suspended, int Warning, int Consumed, List<Guid> SubscriptionIds)
{
    /// <summary>Partner Center's <c>totalUnits</c>: active and warning units (2021 <c>license-resources</c>).</summary>
    public int Total => Active + Warning;

    /// <summary>Partner Center's <c>availableUnits</c>: total minus consumed, warning units included.</summary>
    public int Available => Math.Max(0, Total - Consumed);

    /// <summary>What a license assignment may still take: only enabled units (an expired subscription's are not renewed seats).</summary>
    public int Assignable => Math.Max(0, Active - Consumed);

    public string CapabilityStatus => Active > 0 ? "Enabled" : Warning > 0 ? "Warning" : Suspended > 0 ? "Suspended" : "Deleted";
}

/// <summary>The users and licenses of one tenant, shared by Partner Center and Graph: they are the same users.</summary>
public static class TenantDirectory
{
    public static string Message(DirectoryRefusal refusal, Guid? skuId = null) => refusal switch
    {
        DirectoryRefusal.InvalidUserPrincipalName => "Invalid value specified for property 'userPrincipalName' of resource 'User'.",
        DirectoryRefusal.DomainNotInTenant => "The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.",
        DirectoryRefusal.DuplicateUserPrincipalName => "Another object with the same value for property userPrincipalName already exists.",
        DirectoryRefusal.WeakPassword => "The specified password does not comply with password complexity requirements. Please provide a different password.",
        DirectoryRefusal.InvalidUsageLocation => "License assignment cannot be done for user with invalid usage location.",
        DirectoryRefusal.UnknownSku => $"License {skuId} does not correspond to a valid company License.",
        DirectoryRefusal.NoFreeLicenses => $"Subscription with SKU {skuId} does not have any available licenses.",
        _ => "",
    };

    public static async Task<DirectoryRefusal> CheckUserPrincipalNameAsync(EmulatorDb db, Tenant tenant, string upn, Guid? exceptUserId)
    {
        if (!PasswordPolicy.IsValidUserPrincipalName(upn)) return DirectoryRefusal.InvalidUserPrincipalName;
        if (!upn[(upn.IndexOf('@') + 1)..].Equals(tenant.Domain, StringComparison.OrdinalIgnoreCase)) return DirectoryRefusal.DomainNotInTenant;
        var normalized = DirectoryUser.Normalize(upn);
        var taken = await db.Users.AnyAsync(u => u.TenantId == tenant.Id && u.NormalizedUpn == normalized
            && u.State != UserStates.Purged && (exceptUserId == null || u.Id != exceptUserId));
        return taken ? DirectoryRefusal.DuplicateUserPrincipalName : DirectoryRefusal.None;
    }

    public static bool IsValidUsageLocation(string? location) => location is { Length: 2 } && location.All(char.IsAsciiLetter);

    public static async Task<DirectoryUser> AddUserAsync(EmulatorDb db, Tenant tenant, DirectoryUser user, DateTime now)
    {
        user.Id = user.Id == Guid.Empty ? Guid.NewGuid() : user.Id;
        user.TenantId = tenant.Id;
        user.Seq = await db.NextSequenceAsync("user");
        user.Version = await db.NextSequenceAsync("change");
        user.CreatedAt = now;
        user.Mail ??= user.UserPrincipalName;
        user.MailNickname ??= user.UserPrincipalName.Split('@')[0];
        db.Users.Add(user);
        return user;
    }

    public static async Task TouchAsync(EmulatorDb db, DirectoryUser user) => user.Version = await db.NextSequenceAsync("change");

    public static async Task<DirectoryUser?> FindUserAsync(EmulatorDb db, Guid tenantId, string idOrUpn, bool includeDeleted = false)
    {
        var query = db.Users.Where(u => u.TenantId == tenantId && u.State != UserStates.Purged);
        if (!includeDeleted) query = query.Where(u => u.State == UserStates.Active);
        if (Guid.TryParse(idOrUpn, out var id)) return await query.FirstOrDefaultAsync(u => u.Id == id);
        var normalized = DirectoryUser.Normalize(Uri.UnescapeDataString(idOrUpn));
        return await query.FirstOrDefaultAsync(u => u.NormalizedUpn == normalized);
    }

    /// <summary>An expired subscription's seats stay in <c>warning</c> this long (the renewal grace period)...</summary>
    public static readonly TimeSpan WarningPeriod = TimeSpan.FromDays(30);

    /// <summary>...and then, like a cancelled subscription's, in <c>suspended</c> this long before they are gone.</summary>
    public static readonly TimeSpan SuspendedPeriod = TimeSpan.FromDays(90);

    /// <summary>Where a subscription's seats count at <paramref name="now"/> (graph/api/resources/licenseunitsdetail).</summary>
    public static string? UnitState(Subscription s, DateTime now)
    {
        var since = now - (s.EndedAt ?? DateTime.MinValue);
        return s.Status switch
        {
            SubscriptionStatuses.Active => "enabled",
            SubscriptionStatuses.Suspended => "suspended",
            SubscriptionStatuses.Expired when since < WarningPeriod => "warning",
            SubscriptionStatuses.Expired when since < WarningPeriod + SuspendedPeriod => "suspended",
            SubscriptionStatuses.Deleted when since < SuspendedPeriod => "suspended",
            _ => null,
        };
    }

    public static async Task<List<SkuUnits>> UnitsAsync(EmulatorDb db, Guid tenantId, DateTime now)
    {
        var subscriptions = await db.Subscriptions.Where(s => s.TenantId == tenantId).ToListAsync();
        var users = await db.Users.Where(u => u.TenantId == tenantId && u.State == UserStates.Active).ToListAsync();
        return subscriptions
            .Select(s => (Sub: s, Item: CatalogData.Sku(s.ProductId, s.SkuId)!, State: UnitState(s, now)))
            .GroupBy(x => x.Item.GraphSkuId)
            .Select(g => new SkuUnits(
                g.First().Item,
                g.Where(x => x.State == "enabled").Sum(x => x.Sub.Quantity),
                g.Where(x => x.State == "suspended").Sum(x => x.Sub.Quantity),
                g.Where(x => x.State == "warning").Sum(x => x.Sub.Quantity),
                users.Count(u => u.Licenses.Any(l => l.SkuId == g.Key)),
                g.Where(x => x.State is not null).Select(x => x.Sub.Id).ToList()))
            .ToList();
    }

    /// <summary>Adds and removes licenses on a user, all or nothing.</summary>
    public static async Task<(DirectoryRefusal Refusal, Guid? SkuId)> UpdateLicensesAsync(
        EmulatorDb db, DirectoryUser user, IReadOnlyList<AssignedLicense> add, IReadOnlyList<Guid> remove, DateTime now)
    {
        var units = await UnitsAsync(db, user.TenantId, now);
        foreach (var license in add)
        {
            if (CatalogData.ByGraphSku(license.SkuId) is null || units.All(u => u.Item.GraphSkuId != license.SkuId))
            {
                return (DirectoryRefusal.UnknownSku, license.SkuId);
            }
        }
        foreach (var skuId in remove)
        {
            if (CatalogData.ByGraphSku(skuId) is null) return (DirectoryRefusal.UnknownSku, skuId);
        }
        var newOnes = add.Where(a => user.Licenses.All(l => l.SkuId != a.SkuId) && !remove.Contains(a.SkuId)).ToList();
        if (newOnes.Count > 0 && !IsValidUsageLocation(user.UsageLocation)) return (DirectoryRefusal.InvalidUsageLocation, null);
        foreach (var license in newOnes)
        {
            if (units.First(u => u.Item.GraphSkuId == license.SkuId).Assignable < 1) return (DirectoryRefusal.NoFreeLicenses, license.SkuId);
        }
        var licenses = user.Licenses.Where(l => !remove.Contains(l.SkuId)).ToList();
        foreach (var license in add.Where(a => !remove.Contains(a.SkuId)))
        {
            licenses.RemoveAll(l => l.SkuId == license.SkuId);
            licenses.Add(license);
        }
        user.Licenses = licenses;
        await TouchAsync(db, user);
        return (DirectoryRefusal.None, null);
    }
}
