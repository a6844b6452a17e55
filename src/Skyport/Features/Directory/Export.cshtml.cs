using Microsoft.AspNetCore.Mvc;
using Skyport.Data;
using Skyport.Features.Jobs;
using Skyport.Features.Organizations;
using Skyport.Features.Users;

namespace Skyport.Features.Directory;

public sealed class ExportUsersModel(SkyportDbContext db, TenantUsers users, ExportUsers export) : TenantPageModel(db, users)
{
    public const int PageSize = 100;

    public Page<TenantUserDto> TenantUsers { get; private set; } = new([], 0);

    [BindProperty(SupportsGet = true)]
    public string? Search { get; set; }

    [BindProperty]
    public List<Guid> Selected { get; set; } = [];

    [BindProperty]
    public string? SendPasswordTo { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid customerId, CancellationToken ct)
    {
        if (!await LoadAsync(customerId, ct))
        {
            return NotFound();
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid customerId, CancellationToken ct)
    {
        if (!await LoadAsync(customerId, ct))
        {
            return NotFound();
        }
        var outcome = await export.QueueAsync(customerId, new ExportUsersRequest(Selected, SendPasswordTo), ct);
        if (!outcome.Succeeded)
        {
            ModelState.Clear();
            foreach (var (field, messages) in outcome.Failure!.Errors ?? new Dictionary<string, string[]> { [""] = [outcome.Failure.Detail] })
            {
                ModelState.AddModelError(field == "userIds" ? nameof(Selected) : field == "sendPasswordTo" ? nameof(SendPasswordTo) : "", string.Join(" ", messages));
            }
            return Page();
        }
        return Redirect("~" + JobEndpoints.PagePath(customerId, outcome.Value!.Id));
    }

    private async Task<bool> LoadAsync(Guid customerId, CancellationToken ct)
    {
        if (!await LoadServiceAsync(customerId, ct))
        {
            return false;
        }
        TenantUsers = await Users.ListAsync(customerId, Search, 1, PageSize, ct);
        return true;
    }
}
