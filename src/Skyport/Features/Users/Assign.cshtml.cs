using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Jobs;
using Skyport.Features.Subscriptions;
using Skyport.Web;

namespace Skyport.Features.Users;

/// <summary>"Assign subscriptions": the users ticked on the list, the tenant's subscriptions with their licenses, and "Subscribe".</summary>
public sealed class AssignSubscriptionsModel(SkyportDbContext db, TenantUsers users, AssignLicenses licenses, ListSubscriptions subscriptions, SeatsForLicenses seats)
    : TenantPageModel(db, users)
{
    [BindProperty(SupportsGet = true)]
    public List<Guid> UserIds { get; set; } = [];

    [BindProperty]
    public List<Guid> SubscriptionIds { get; set; } = [];

    public IReadOnlyList<string> UserNames { get; private set; } = [];
    public IReadOnlyList<LicenseOption> Options { get; private set; } = [];

    /// <summary>"Add the missing seats first": set by its confirmation, which posts the same users and subscriptions again.</summary>
    [BindProperty]
    public bool AddSeats { get; set; }

    /// <summary>The seats a Subscribe lacks, with what buying them costs, offered before anything is bought.</summary>
    public IReadOnlyList<SeatsQuote> MissingSeats { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid customerId, CancellationToken ct)
    {
        if (!await LoadAsync(customerId, ct))
        {
            return NotFound();
        }
        if (UserIds.Count == 0)
        {
            ModelState.AddModelError(nameof(UserIds), "Select at least one user on the list first.");
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid customerId, CancellationToken ct)
    {
        if (!await LoadServiceAsync(customerId, ct))
        {
            return NotFound();
        }
        var outcome = await licenses.QueueAsync(customerId, new LicenseRequest(UserIds, SubscriptionIds, AddSeats: AddSeats), subscribe: true, ct);
        if (!outcome.Succeeded)
        {
            await LoadAsync(customerId, ct);
            if (!AddSeats && AssignLicenses.Shortages(outcome.Failure) is { Count: > 0 } shortages)
            {
                MissingSeats = await seats.AddQuotesAsync(customerId, shortages, ct);
                return Page();
            }
            AddErrors(ModelState, outcome.Failure!);
            return Page();
        }
        return Redirect("~" + JobEndpoints.PagePath(customerId, outcome.Value!.Id));
    }

    /// <summary>Field errors beside their field; a refusal of the whole action above the form.</summary>
    public static void AddErrors(Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary state, Failure failure)
    {
        foreach (var (field, messages) in failure.Errors ?? new Dictionary<string, string[]> { [""] = [failure.Detail] })
        {
            state.AddModelError(field switch { "userIds" => nameof(UserIds), "subscriptionIds" => nameof(SubscriptionIds), _ => "" }, string.Join(" ", messages));
        }
    }

    private async Task<bool> LoadAsync(Guid customerId, CancellationToken ct)
    {
        if (!await LoadServiceAsync(customerId, ct))
        {
            return false;
        }
        var ids = UserIds.Distinct().Take(LicenseRules.MaxUsers).ToList();
        UserNames = await Db.TenantUsers.AsNoTracking().Where(u => u.OrganizationId == customerId && ids.Contains(u.Id))
            .OrderBy(u => u.DisplayName).Select(u => u.DisplayName + " (" + u.UserPrincipalName + ")").ToListAsync(ct);
        Options = await licenses.OptionsAsync(customerId, subscriptions, await Users.LicensedSubscriptionsAsync(customerId, ct), ct);
        return true;
    }
}
