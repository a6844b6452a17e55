using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Skyport.Web;

namespace Skyport.Features.ConnectionCheck;

/// <summary>A read-only check, so a GET: the button asks for it again with <c>run=true</c>.</summary>
[Authorize(Policy = Policies.Broker)]
public sealed class CheckModel(CheckPartnerCenter check) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public bool Run { get; set; }

    public ConnectionCheckReport? Report { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (Run)
        {
            Report = await check.RunAsync(ct);
        }
    }
}
