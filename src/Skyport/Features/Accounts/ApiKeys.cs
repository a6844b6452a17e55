using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Web;

namespace Skyport.Features.Accounts;

public sealed record ApiKeySummary(Guid Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>A user's own API keys: create (the secret is returned once), list, revoke.</summary>
public sealed class ApiKeys(SkyportDbContext db, Audit.AuditLog audit, Caller caller, TimeProvider clock)
{
    public async Task<IReadOnlyList<ApiKeySummary>> ListAsync(Guid userId, CancellationToken ct) =>
        await db.ApiKeys.AsNoTracking()
            .Where(k => k.UserId == userId)
            .OrderBy(k => k.RevokedAt != null).ThenByDescending(k => k.CreatedAt)
            .Select(k => new ApiKeySummary(k.Id, k.Name, k.Prefix, k.CreatedAt, k.RevokedAt))
            .ToListAsync(ct);

    public async Task<Outcome<(ApiKeySummary Key, string Secret)>> CreateAsync(Guid userId, string? name, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return Failure.Invalid("name", "Give the key a name, such as the script that will use it.");
        }
        if (name.Trim().Length > 100)
        {
            return Failure.Invalid("name", "At most 100 characters.");
        }
        var secret = ApiKey.NewSecret();
        var key = ApiKey.Create(userId, name.Trim(), secret, clock.GetUtcNow());
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(caller.OrganizationId, "Create API key", "created", $"'{key.Name}' ({key.Prefix}…)", ct);
        return (new ApiKeySummary(key.Id, key.Name, key.Prefix, key.CreatedAt, null), secret);
    }

    public async Task<Outcome<ApiKeySummary>> RevokeAsync(Guid userId, Guid keyId, CancellationToken ct)
    {
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId && k.UserId == userId, ct);
        if (key is null)
        {
            return Failure.NotFound("The API key");
        }
        key.RevokedAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(caller.OrganizationId, "Revoke API key", "revoked", $"'{key.Name}' ({key.Prefix}…)", ct);
        return new ApiKeySummary(key.Id, key.Name, key.Prefix, key.CreatedAt, key.RevokedAt);
    }
}
