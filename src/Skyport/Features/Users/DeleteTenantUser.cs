using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Audit;
using Skyport.PartnerCenter;
using Skyport.Web;

namespace Skyport.Features.Users;

/// <summary>Removes a user from the tenant in Partner Center, then from Skyport's copy.</summary>
public sealed class DeleteTenantUser(SkyportDbContext db, TenantUsers users, PartnerCenterClient partnerCenter, AuditLog audit, ILogger<DeleteTenantUser> logger)
{
    public async Task<Outcome<bool>> RunAsync(Guid customerId, Guid userId, CancellationToken ct)
    {
        var found = await users.ServiceAsync(customerId, ct);
        if (!found.Succeeded)
        {
            return found.Failure!;
        }
        var user = await db.Set<TenantUser>().SingleOrDefaultAsync(u => u.OrganizationId == customerId && u.Id == userId, ct);
        if (user is null)
        {
            return Failure.NotFound("The user");
        }
        PartnerCenterResult<bool> deleted;
        try
        {
            deleted = await partnerCenter.DeleteUserAsync(found.Value!.TenantId!.Value, userId, ct);
        }
        catch (Exception exception) when (PartnerCenterFailures.IsUnanswered(exception) && !ct.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Partner Center did not answer deleting user {User}", userId);
            return Failure.UpstreamFailed("Partner Center did not answer. Try again: deleting a user twice does no harm.");
        }
        // Not found in Partner Center: already deleted there, so Skyport's copy goes too.
        if (!deleted.IsSuccess && deleted.Error!.HttpStatus != 404)
        {
            return deleted.Error.HttpStatus is >= 500 or 429
                ? Failure.UpstreamFailed($"Partner Center could not delete the user ({deleted.Error.Description}). Try again.")
                : Failure.RuleRefused($"Partner Center refused to delete the user: {deleted.Error.Description}");
        }
        // The sync may remove the row first (Partner Center's deletion reaches it through Graph): no conflict then.
        await db.TenantUsers.Where(u => u.Id == userId && u.OrganizationId == customerId).ExecuteDeleteAsync(ct);
        db.Entry(user).State = EntityState.Detached;
        if (!await db.TenantUserTombstones.AnyAsync(t => t.UserId == userId, ct))
        {
            db.TenantUserTombstones.Add(new TenantUserTombstone { UserId = userId, OrganizationId = customerId, DeletedAt = UserSync.RealTime.GetUtcNow() });
        }
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The sync saw the deletion in Partner Center first and removed Skyport's copy already: it is gone either way.
            db.ChangeTracker.Clear();
        }
        await audit.RecordAsync(customerId, "Delete user", "succeeded", user.UserPrincipalName, CancellationToken.None);
        return true;
    }
}
