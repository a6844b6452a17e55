using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Web;

namespace Skyport.Features.Audit;

public sealed class AuditPageModel(SkyportDbContext db, Caller caller) : PageModel
{
    public sealed record Row(DateTimeOffset At, string Organization, string Actor, string Action, string Outcome, string? Detail);

    public string OrganizationName { get; private set; } = "";
    public IReadOnlyList<Row> Entries { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken ct)
    {
        var organization = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == (id ?? caller.OrganizationId), ct);
        if (organization is null)
        {
            return NotFound();
        }
        OrganizationName = organization.Name;
        Entries = await (
            from entry in db.AuditEntries.AsNoTracking()
            join owner in db.Organizations.AsNoTracking() on entry.OrganizationId equals owner.Id
            where owner.Path.StartsWith(organization.Path)
            orderby entry.Id descending
            select new Row(entry.At, owner.Name, entry.Actor, entry.Action, entry.Outcome, entry.Detail))
            .Take(500)
            .ToListAsync(ct);
        return Page();
    }
}
