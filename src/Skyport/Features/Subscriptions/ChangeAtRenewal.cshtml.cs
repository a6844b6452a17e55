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
        if (request is { Quantity: null, OfferId: null, TermDuration: null, BillingFrequency: null })
        {
            // The API's message names its JSON fields; the form says it in the page's words.
            ModelState.AddModelError(nameof(Quantity), "This is how the subscription renews already: change its quantity, product, term or billing frequency at renewal.");
            return Page();
        }
        var outcome = await schedule.ScheduleAsync(customerId, subscriptionId, request, ct);
        if (outcome.Succeeded)
        {
            TempData["Message"] = outcome.Value!.ScheduledRenewal is { } next
                ? $"{ServiceSubscriptionsModel.Label(outcome.Value)} changes at its renewal (renewal date {outcome.Value.RenewalDate:yyyy-MM-dd}): {ServiceSubscriptionsModel.Describe(next)}."
                : $"{ServiceSubscriptionsModel.Label(outcome.Value)} renews as it is.";
            return Redirect($"~/my-services/o365/{customerId}/subscriptions");
        }
        ModelState.Clear();
        ModelState.AddFailure(outcome.Failure!);
        // A refusal naming a field this form has no input for (autoRenew) would show nowhere: it goes above the form.
        string[] fields = [string.Empty, nameof(Quantity), nameof(OfferId), nameof(TermDuration), nameof(BillingFrequency)];
        foreach (var key in ModelState.Keys.Except(fields).ToList())
        {
            foreach (var error in ModelState[key]!.Errors) ModelState.AddModelError(string.Empty, error.ErrorMessage);
            ModelState.Remove(key);
        }
        return Page();
    }

    /// <summary>A term duration in words: "one-month", "one-year".</summary>
    public static string Term(string termDuration) => termDuration switch { "P1M" => "one-month", "P1Y" => "one-year", "P3Y" => "three-year", _ => termDuration };

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
