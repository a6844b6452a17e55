using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Web;

namespace Skyport.Features.Subscriptions;

/// <summary>"Change at renewal" (R10): the next term's quantity, product, term and billing frequency, then "Schedule".</summary>
public sealed class ChangeAtRenewalModel(SkyportDbContext db, ListSubscriptions subscriptions, ScheduleRenewal schedule) : PageModel
{
    public Guid CustomerId { get; private set; }
    public SubscriptionDto Subscription { get; private set; } = null!;
    /// <summary>The products the next term may have: this one's and the catalog's other offers of its kind (base or add-on).</summary>
    public IReadOnlyList<(string Id, string Name)> Offers { get; private set; } = [];

    [BindProperty] public int? Quantity { get; set; }
    [BindProperty] public string? OfferId { get; set; }
    [BindProperty] public string? TermDuration { get; set; }
    [BindProperty] public string? BillingFrequency { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid customerId, Guid subscriptionId, CancellationToken ct)
    {
        if (!await LoadAsync(customerId, subscriptionId, ct)) return NotFound();
        var s = Subscription.ScheduledRenewal;
        Quantity = s?.Quantity ?? Subscription.Quantity;
        OfferId = s?.OfferId ?? Subscription.OfferId;
        TermDuration = s?.TermDuration ?? Subscription.TermDuration;
        BillingFrequency = s?.BillingFrequency ?? Subscription.BillingFrequency;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid customerId, Guid subscriptionId, CancellationToken ct)
    {
        if (!await LoadAsync(customerId, subscriptionId, ct)) return NotFound();
        // Only what differs from today is scheduled: an unchanged value stays as it is.
        var request = new ScheduleRenewalRequest(
            Quantity == Subscription.Quantity ? null : Quantity ?? 0,
            OfferId == Subscription.OfferId ? null : OfferId,
            TermDuration == Subscription.TermDuration ? null : TermDuration,
            BillingFrequency == Subscription.BillingFrequency ? null : BillingFrequency);
        var outcome = await schedule.ScheduleAsync(customerId, subscriptionId, request, ct);
        if (outcome.Succeeded)
        {
            TempData["Message"] = $"{ServiceSubscriptionsModel.Label(outcome.Value!)} changes at its renewal on {outcome.Value!.RenewalDate.AddDays(1):yyyy-MM-dd}.";
            return Redirect($"~/my-services/o365/{customerId}/subscriptions");
        }
        ModelState.Clear();
        ModelState.AddFailure(outcome.Failure!);
        if (outcome.Failure!.Errors is null) ModelState.AddModelError(string.Empty, outcome.Failure.Detail);
        return Page();
    }

    private async Task<bool> LoadAsync(Guid customerId, Guid subscriptionId, CancellationToken ct)
    {
        var found = await subscriptions.GetAsync(customerId, subscriptionId, ct);
        if (!found.Succeeded) return false;
        (CustomerId, Subscription) = (customerId, found.Value!);
        var addOn = Subscription.ParentSubscriptionId is not null;
        Offers = [.. (await db.CatalogOffers.AsNoTracking().Where(o => !o.Hidden && o.Available && o.IsAddOn == addOn).OrderBy(o => o.Name)
            .Select(o => new { o.Id, o.Name }).ToListAsync(ct)).Select(o => (o.Id, o.Name))];
        return true;
    }
}
