using Microsoft.AspNetCore.Mvc;
using Skyport.Data;
using Skyport.Features.Jobs;
using Skyport.Features.Subscriptions;

namespace Skyport.Features.Users;

/// <summary>One user's subscriptions: "Unsubscribe" from those it has, "Subscribe" to others, and its usage location.</summary>
public sealed class UserSubscriptionsModel(
    SkyportDbContext db, TenantUsers users, AssignLicenses licenses, SetUsageLocation setLocation, ListSubscriptions subscriptions, SeatsForLicenses seats)
    : TenantPageModel(db, users)
{
    public TenantUserDto TenantUser { get; private set; } = null!;
    public IReadOnlyList<LicenseOption> Held { get; private set; } = [];
    public IReadOnlyList<LicenseOption> Others { get; private set; } = [];

    [BindProperty]
    public List<Guid> SubscriptionIds { get; set; } = [];

    [BindProperty]
    public string? UsageLocation { get; set; }

    /// <summary>Unsubscribe: whether to remove the freed seats still inside their window; unset until the person has chosen.</summary>
    [BindProperty]
    public bool? RemoveFreedSeats { get; set; }

    /// <summary>Subscribe: buy the missing licenses first (set by the confirmation of <see cref="MissingSeats"/>).</summary>
    [BindProperty]
    public bool AddSeats { get; set; }

    /// <summary>The licenses a Subscribe lacks, with what buying them costs, offered before anything is bought.</summary>
    public IReadOnlyList<SeatsQuote> MissingSeats { get; private set; } = [];

    /// <summary>The seats an Unsubscribe frees inside their 168-hour window, with the refund, offered before it is made.</summary>
    public IReadOnlyList<SeatsQuote> FreedSeats { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid customerId, Guid userId, CancellationToken ct)
    {
        if (!await LoadAsync(customerId, userId, ct))
        {
            return NotFound();
        }
        UsageLocation = TenantUser.UsageLocation ?? CustomerCountry;
        return Page();
    }

    public Task<IActionResult> OnPostSubscribeAsync(Guid customerId, Guid userId, CancellationToken ct) =>
        ChangeAsync(customerId, userId, subscribe: true, ct);

    public Task<IActionResult> OnPostUnsubscribeAsync(Guid customerId, Guid userId, CancellationToken ct) =>
        ChangeAsync(customerId, userId, subscribe: false, ct);

    public async Task<IActionResult> OnPostUsageLocationAsync(Guid customerId, Guid userId, CancellationToken ct)
    {
        if (!await LoadServiceAsync(customerId, ct))
        {
            return NotFound();
        }
        var outcome = await setLocation.RunAsync(customerId, userId, new ChangeTenantUserRequest(UsageLocation), ct);
        if (!outcome.Succeeded)
        {
            if (!await LoadAsync(customerId, userId, ct))
            {
                return NotFound();
            }
            ModelState.AddModelError(nameof(UsageLocation), outcome.Failure!.Errors?.Values.SelectMany(m => m).FirstOrDefault() ?? outcome.Failure.Detail);
            return Page();
        }
        TempData["Message"] = $"Usage location of {outcome.Value!.UserPrincipalName} set to {outcome.Value.UsageLocation}.";
        return Redirect("~" + UsersPath + $"/{userId}/subscriptions");
    }

    private async Task<IActionResult> ChangeAsync(Guid customerId, Guid userId, bool subscribe, CancellationToken ct)
    {
        if (!await LoadServiceAsync(customerId, ct))
        {
            return NotFound();
        }
        var request = new LicenseRequest([userId], SubscriptionIds, AddSeats: subscribe && AddSeats, RemoveFreedSeats: RemoveFreedSeats);
        if (!subscribe && RemoveFreedSeats is null && await licenses.FreedSeatsAsync(customerId, request, ct) is { Count: > 0 } freed)
        {
            if (!await LoadAsync(customerId, userId, ct))
            {
                return NotFound();
            }
            FreedSeats = freed;
            return Page();
        }
        var outcome = await licenses.QueueAsync(customerId, request, subscribe, ct);
        if (!outcome.Succeeded)
        {
            if (!await LoadAsync(customerId, userId, ct))
            {
                return NotFound();
            }
            var failure = outcome.Failure!;
            if (subscribe && !AddSeats && AssignLicenses.Shortages(failure) is { Count: > 0 } shortages)
            {
                MissingSeats = await seats.AddQuotesAsync(customerId, shortages, ct);
                return Page();
            }
            var field = subscribe ? "Subscribe" : "Unsubscribe";
            ModelState.AddModelError(field, failure.Errors?.Values.SelectMany(m => m).FirstOrDefault() ?? failure.Detail);
            return Page();
        }
        return Redirect("~" + JobEndpoints.PagePath(customerId, outcome.Value!.Id));
    }

    private async Task<bool> LoadAsync(Guid customerId, Guid userId, CancellationToken ct)
    {
        if (!await LoadServiceAsync(customerId, ct) || await Users.FindAsync(customerId, userId, ct) is not { } user)
        {
            return false;
        }
        var licensed = await Users.LicensedSubscriptionsAsync(customerId, ct);
        TenantUser = TenantUserDto.From(user, licensed);
        var options = await licenses.OptionsAsync(customerId, subscriptions, licensed, ct);
        Held = [.. options.Where(o => TenantUser.SubscriptionIds.Contains(o.Id))];
        Others = [.. options.Where(o => !TenantUser.SubscriptionIds.Contains(o.Id))];
        return true;
    }
}
