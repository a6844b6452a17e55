using Microsoft.AspNetCore.Mvc.RazorPages;
using Skyport.Features.Organizations;
using Skyport.Web;

namespace Skyport.Features.Home;

public sealed class IndexModel(Caller caller, OrganizationQueries organizations) : PageModel
{
    public Caller Caller => caller;
    public string OrganizationName { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken ct) =>
        OrganizationName = (await organizations.GetAsync(caller.OrganizationId, ct))?.Name ?? "";
}
