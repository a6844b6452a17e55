using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Skyport.Web;

namespace Skyport.Features.Accounts;

public sealed class ProfileModel(ApiKeys apiKeys, Caller caller) : PageModel
{
    public Caller Caller => caller;
    public IReadOnlyList<ApiKeySummary> Keys { get; private set; } = [];

    [BindProperty]
    public string? Name { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => Keys = await apiKeys.ListAsync(caller.UserId, ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var outcome = await apiKeys.CreateAsync(caller.UserId, Name, ct);
        if (!outcome.Succeeded)
        {
            ModelState.AddFailure(outcome.Failure!);
            Keys = await apiKeys.ListAsync(caller.UserId, ct);
            return Page();
        }
        TempData["NewSecret"] = outcome.Value.Secret;
        TempData["Message"] = $"API key '{outcome.Value.Key.Name}' created.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid keyId, CancellationToken ct)
    {
        var outcome = await apiKeys.RevokeAsync(caller.UserId, keyId, ct);
        if (!outcome.Succeeded)
        {
            return NotFound();
        }
        TempData["Message"] = $"API key '{outcome.Value!.Name}' revoked.";
        return RedirectToPage();
    }
}
