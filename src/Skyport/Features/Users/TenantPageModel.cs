using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Tenants;

namespace Skyport.Features.Users;

/// <summary>A page about one customer's tenant: loads the active service through the caller's subtree filter.</summary>
public abstract class TenantPageModel(SkyportDbContext db, TenantUsers users) : PageModel
{
    public O365Service Service { get; private set; } = null!;
    public string CustomerName { get; private set; } = "";
    public string? CustomerCountry { get; private set; }

    protected SkyportDbContext Db => db;

    protected TenantUsers Users => users;

    protected async Task<bool> LoadServiceAsync(Guid customerId, CancellationToken ct)
    {
        var found = await users.ServiceAsync(customerId, ct);
        if (!found.Succeeded)
        {
            return false;
        }
        Service = found.Value!;
        var customer = await db.Organizations.AsNoTracking().Where(o => o.Id == customerId).Select(o => new { o.Name, o.Address.Country }).SingleAsync(ct);
        (CustomerName, CustomerCountry) = (customer.Name, customer.Country);
        return true;
    }

    public string UsersPath => $"/my-services/o365/{Service.OrganizationId}/users";
}
