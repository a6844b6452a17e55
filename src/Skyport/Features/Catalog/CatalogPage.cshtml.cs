using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Skyport.Web;

namespace Skyport.Features.Catalog;

/// <summary>The broker's view of the imported catalog: hide offers, rename categories and product groups, import now.</summary>
[Authorize(Policy = Policies.Broker)]
public sealed class CatalogPageModel(CatalogQueries catalog, ImportCatalog import) : PageModel
{
    public IReadOnlyList<CatalogOfferAdminDto> Offers { get; private set; } = [];
    public IReadOnlyList<CatalogGroupDto> Groups { get; private set; } = [];

    [BindProperty]
    public RenameGroupRequest Rename { get; set; } = new(null, null, null);

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostVisibilityAsync(string offerId, bool hidden, CancellationToken ct)
    {
        var outcome = await catalog.SetVisibilityAsync(new OfferVisibilityRequest(offerId, hidden), ct);
        TempData["Message"] = outcome.Succeeded ? $"{outcome.Value!.Name} is {(hidden ? "hidden from" : "offered to")} customers." : outcome.Failure!.Detail;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRenameAsync(CancellationToken ct)
    {
        var parts = (Rename.Original ?? "").Split('|', 2);
        var outcome = await catalog.RenameAsync(new RenameGroupRequest(parts.Length == 2 ? parts[0] : null, parts.Length == 2 ? parts[1] : null, Rename.DisplayName), ct);
        if (outcome.Succeeded)
        {
            TempData["Message"] = $"{outcome.Value!.Original} is now shown as {outcome.Value.DisplayName}.";
            return RedirectToPage();
        }
        ModelState.AddModelError(string.Empty, outcome.Failure!.Errors?.Values.SelectMany(v => v).FirstOrDefault() ?? outcome.Failure.Detail);
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostImportAsync(CancellationToken ct)
    {
        Outcome<CatalogImportResult> result;
        try
        {
            result = await import.RunAsync(ct);
        }
        catch (Exception exception) when (Skyport.PartnerCenter.PartnerCenterFailures.IsUnanswered(exception) && !ct.IsCancellationRequested)
        {
            TempData["Message"] = "Partner Center did not answer; the catalog stays as it was. Try again later.";
            return RedirectToPage();
        }
        TempData["Message"] = result.Succeeded ? $"{result.Value!.Offers} offers imported from Partner Center." : result.Failure!.Detail;
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Offers = await catalog.AllOffersAsync(ct);
        Groups = await catalog.GroupsAsync(ct);
    }
}
