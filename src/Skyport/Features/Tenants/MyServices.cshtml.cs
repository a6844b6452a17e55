using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Organizations;
using Skyport.Web;

namespace Skyport.Features.Tenants;

public sealed class MyServicesModel(SkyportDbContext db, Caller caller) : PageModel
{
    public sealed record Row(string Customer, O365Service Service);

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public bool IsCustomer => caller.OrganizationKind == OrganizationKind.Customer;

    public async Task OnGetAsync(CancellationToken ct) =>
        Rows = await (
            from service in db.O365Services.AsNoTracking()
            join customer in db.Organizations.AsNoTracking() on service.OrganizationId equals customer.Id
            orderby customer.Name
            select new Row(customer.Name, service))
            .ToListAsync(ct);

    public static string Describe(O365Status status) => status switch
    {
        O365Status.Active => "Active",
        O365Status.AwaitingRelationship => "Awaiting relationship",
        O365Status.AwaitingApproval => "Awaiting the customer's approval of admin access",
        _ => "Being set up",
    };
}
