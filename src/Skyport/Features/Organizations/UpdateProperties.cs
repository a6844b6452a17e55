using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Microsoft.Extensions.Options;
using Skyport.Features.Audit;
using Skyport.Features.Catalog;
using Skyport.Web;

namespace Skyport.Features.Organizations;

/// <summary>Organization &gt; Properties: company name, address and contact.</summary>
public sealed class UpdateProperties(SkyportDbContext db, AuditLog audit)
{
    public async Task<Outcome<OrganizationDetails>> RunAsync(Guid organizationId, PropertiesRequest request, CancellationToken ct)
    {
        var organization = await db.Organizations.SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        if (organization is null)
        {
            return Failure.NotFound("The organization");
        }
        var errors = OrganizationRules.ValidateProperties(request.CompanyName, request.Address, request.Contact);
        if (errors.Count > 0)
        {
            return Failure.Invalid(errors);
        }
        organization.Name = request.CompanyName!.Trim();
        organization.Address = OrganizationRules.Normalize(request.Address);
        organization.Contact = OrganizationRules.Normalize(request.Contact);
        organization.Version++;
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(organization.Id, "Edit properties", "saved", null, ct);
        return OrganizationDetails.From(organization);
    }
}

/// <summary>
/// A reseller's billing settings: cycle end day and currency. The cycle end day is fixed once a report of one of its
/// customers has been issued: issued cycles cannot move, and the next cycle must start the day after the last one.
/// </summary>
public sealed class UpdateBilling(SkyportDbContext db, AuditLog audit, IOptions<CatalogOptions> catalog)
{
    public async Task<Outcome<OrganizationDetails>> RunAsync(Guid organizationId, BillingRequest request, CancellationToken ct)
    {
        var organization = await db.Organizations.SingleOrDefaultAsync(o => o.Id == organizationId, ct);
        if (organization is null)
        {
            return Failure.NotFound("The organization");
        }
        if (organization.Kind != OrganizationKind.Reseller)
        {
            return Failure.RuleRefused("Billing settings belong to resellers only.");
        }
        var errors = OrganizationRules.ValidateBilling(request.CycleEndDay, request.Currency, catalog.Value.Currency);
        if (errors.Count > 0)
        {
            return Failure.Invalid(errors);
        }
        if (request.CycleEndDay != organization.CycleEndDay
            && await db.IssuedReports.IgnoreQueryFilters().Where(r => db.Organizations.Any(c => c.Id == r.OrganizationId && c.ParentId == organization.Id))
                .OrderByDescending(r => r.BillingDate).Select(r => (DateOnly?)r.BillingDate).FirstOrDefaultAsync(ct) is { } lastIssued)
        {
            return Failure.Invalid("cycleEndDay",
                $"The cycle end day stays {organization.CycleEndDay}: reports of this reseller's customers have been issued on it (the last dated {lastIssued:yyyy-MM-dd}).");
        }
        organization.Billing = new BillingSettings(request.CycleEndDay!.Value, request.Currency!.Trim().ToUpperInvariant());
        organization.Version++;
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(organization.Id, "Edit billing settings", "saved", $"Cycle ends on day {organization.CycleEndDay}, {organization.Currency}", ct);
        return OrganizationDetails.From(organization);
    }
}

public sealed class OrganizationQueries(SkyportDbContext db)
{
    public async Task<OrganizationDetails?> GetAsync(Guid id, CancellationToken ct) =>
        await db.Organizations.AsNoTracking().Where(o => o.Id == id).Select(o => o).SingleOrDefaultAsync(ct) is { } o
            ? OrganizationDetails.From(o)
            : null;

    public async Task<Page<OrganizationSummary>> ListAsync(int page, int pageSize, CancellationToken ct)
    {
        var query = db.Organizations.AsNoTracking();
        var total = await query.CountAsync(ct);
        var items = await query
            .OrderBy(o => o.Path.Length).ThenBy(o => o.Name).ThenBy(o => o.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(o => new OrganizationSummary(o.Id, o.Name, o.Kind, o.ParentId))
            .ToListAsync(ct);
        return new Page<OrganizationSummary>(items, total);
    }

    /// <summary>Everything visible to the caller, ordered as a tree (parents before their children).</summary>
    public async Task<IReadOnlyList<Organization>> TreeAsync(CancellationToken ct)
    {
        var all = await db.Organizations.AsNoTracking().ToListAsync(ct);
        return [.. all.OrderBy(o => o.Path, StringComparer.Ordinal)];
    }
}
