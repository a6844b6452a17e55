using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Audit;
using Skyport.Features.Organizations;
using Skyport.PartnerCenter;
using Skyport.Web;

namespace Skyport.Features.Users;

public sealed record ChangeTenantUserRequest(string? UsageLocation);

/// <summary>Sets a user's usage location (the country Microsoft needs before it assigns a license): Partner Center first, then Skyport's copy.</summary>
public sealed class SetUsageLocation(SkyportDbContext db, TenantUsers users, PartnerCenterClient partnerCenter, AuditLog audit, ILogger<SetUsageLocation> logger)
{
    public async Task<Outcome<TenantUserDto>> RunAsync(Guid customerId, Guid userId, ChangeTenantUserRequest request, CancellationToken ct)
    {
        var location = request.UsageLocation?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(location) || !IsoCodes.Countries.Contains(location))
        {
            return Failure.Invalid("usageLocation", "Choose the country where the user works (a two-letter ISO code such as DE).");
        }
        var found = await users.ServiceAsync(customerId, ct);
        if (!found.Succeeded)
        {
            return found.Failure!;
        }
        var user = await db.TenantUsers.SingleOrDefaultAsync(u => u.OrganizationId == customerId && u.Id == userId, ct);
        if (user is null)
        {
            return Failure.NotFound("The user");
        }
        PartnerCenterResult<CustomerUser> updated;
        try
        {
            updated = await partnerCenter.UpdateUserAsync(found.Value!.TenantId!.Value, userId, new CustomerUserChange(UsageLocation: location), ct);
        }
        catch (Exception exception) when (PartnerCenterFailures.IsUnanswered(exception) && !ct.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Partner Center did not answer updating user {User}", userId);
            return Failure.UpstreamFailed("Partner Center did not answer. Try again.");
        }
        if (!updated.IsSuccess)
        {
            return updated.Error!.HttpStatus == 404
                ? Failure.NotFound("The user")
                : Failure.RuleRefused($"Partner Center refused the change: {updated.Error.Description}");
        }
        user.UsageLocation = updated.Value!.UsageLocation ?? location;
        await db.SaveChangesAsync(CancellationToken.None);
        await audit.RecordAsync(customerId, "Set usage location", "succeeded", $"{user.UserPrincipalName}: {user.UsageLocation}", CancellationToken.None);
        return TenantUserDto.From(user, await users.LicensedSubscriptionsAsync(customerId, CancellationToken.None));
    }
}
