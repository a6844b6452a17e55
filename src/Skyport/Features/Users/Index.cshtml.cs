using Microsoft.AspNetCore.Mvc;
using Skyport.Data;
using Skyport.Features.Organizations;

namespace Skyport.Features.Users;

public sealed class UsersIndexModel(SkyportDbContext db, TenantUsers users, DeleteTenantUser delete) : TenantPageModel(db, users)
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    /// <summary>The users ticked when the rows were polled, so that a refresh keeps them ticked.</summary>
    [BindProperty(SupportsGet = true, Name = "userIds")]
    public List<Guid> Selected { get; set; } = [];

    public Page<TenantUserDto> Result { get; private set; } = new([], 0);

    public IReadOnlyDictionary<Guid, string> SubscriptionNames { get; private set; } = new Dictionary<Guid, string>();

    public int PageCount => Math.Max(1, (Result.Total + PageSize - 1) / PageSize);

    public async Task<IActionResult> OnGetAsync(Guid customerId, CancellationToken ct)
    {
        if (!await LoadAsync(customerId, ct))
        {
            return NotFound();
        }
        return Page();
    }

    /// <summary>The table alone, for htmx polling: users made in Partner Center appear without a reload.</summary>
    public async Task<IActionResult> OnGetRowsAsync(Guid customerId, CancellationToken ct)
    {
        if (!await LoadAsync(customerId, ct))
        {
            return NotFound();
        }
        return Partial("_UserRows", this);
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid customerId, Guid userId, CancellationToken ct)
    {
        if (!await LoadServiceAsync(customerId, ct))
        {
            return NotFound();
        }
        var user = await Users.FindAsync(customerId, userId, ct);
        var outcome = await delete.RunAsync(customerId, userId, ct);
        TempData["Message"] = outcome.Succeeded ? $"User {user?.UserPrincipalName} deleted." : outcome.Failure!.Detail;
        return Redirect("~" + UsersPath);
    }

    private async Task<bool> LoadAsync(Guid customerId, CancellationToken ct)
    {
        if (!await LoadServiceAsync(customerId, ct))
        {
            return false;
        }
        PageNumber = Math.Clamp(PageNumber, 1, 100_000);
        var subscriptions = await Users.LicensedSubscriptionsAsync(customerId, ct);
        Result = await Users.ListAsync(customerId, Search, PageNumber, PageSize, ct, subscriptions);
        SubscriptionNames = subscriptions.ToDictionary(s => s.Id, s => s.Name);
        return true;
    }

    public string PageLink(int page) => $"{UsersPath}?p={page}" + (string.IsNullOrWhiteSpace(Search) ? "" : $"&search={Uri.EscapeDataString(Search)}");
}
