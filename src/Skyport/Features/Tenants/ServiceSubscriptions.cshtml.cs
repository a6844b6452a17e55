using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;

namespace Skyport.Features.Tenants;

public sealed class ServiceSubscriptionsModel(SkyportDbContext db) : PageModel
{
    public O365Service Service { get; private set; } = null!;
    public string CustomerName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(Guid customerId, CancellationToken ct)
    {
        var found = await (
            from service in db.O365Services.AsNoTracking()
            join customer in db.Organizations.AsNoTracking() on service.OrganizationId equals customer.Id
            where service.OrganizationId == customerId
            select new { service, customer.Name }).SingleOrDefaultAsync(ct);
        if (found is null)
        {
            return NotFound();
        }
        (Service, CustomerName) = (found.service, found.Name);
        return Page();
    }
}
