using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Skyport.Web;

namespace Skyport.Features.Subscriptions;

/// <summary>"Change quantity": the new quantity with its monthly cost beside the current one (re-drawn by htmx), then "Update".</summary>
public sealed class ChangeQuantityModel(ListSubscriptions subscriptions, ChangeSubscription change) : PageModel
{
    public Guid CustomerId { get; private set; }
    public SubscriptionDto Subscription { get; private set; } = null!;

    [BindProperty(SupportsGet = true)]
    public int? Quantity { get; set; }

    public decimal? NewMonthlyCost => Quantity is >= 1 and <= SubscriptionMath.MaxQuantity
        ? SubscriptionMath.MonthlyCost(Subscription.UnitPrice, Quantity.Value, Subscription.BillingFrequency)
        : null;

    public async Task<IActionResult> OnGetAsync(Guid customerId, Guid subscriptionId, CancellationToken ct)
    {
        if (!await LoadAsync(customerId, subscriptionId, ct)) return NotFound();
        Quantity ??= Subscription.Quantity;
        return Page();
    }

    public async Task<IActionResult> OnGetPreviewAsync(Guid customerId, Guid subscriptionId, CancellationToken ct) =>
        await LoadAsync(customerId, subscriptionId, ct) ? Partial("_QuantityPreview", this) : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid customerId, Guid subscriptionId, CancellationToken ct)
    {
        if (!await LoadAsync(customerId, subscriptionId, ct)) return NotFound();
        var outcome = await change.ChangeAsync(customerId, subscriptionId, new ChangeSubscriptionRequest(Quantity, null, null, null), ct);
        if (outcome.Succeeded)
        {
            TempData["Message"] = $"{outcome.Value!.Name} now has {outcome.Value.Quantity} licenses.";
            return Redirect($"~/my-services/o365/{customerId}/subscriptions");
        }
        ModelState.Clear();
        ModelState.AddModelError(outcome.Failure!.Kind == FailureKind.Invalid ? nameof(Quantity) : string.Empty,
            outcome.Failure.Errors?.Values.SelectMany(v => v).FirstOrDefault() ?? outcome.Failure.Detail);
        return Page();
    }

    private async Task<bool> LoadAsync(Guid customerId, Guid subscriptionId, CancellationToken ct)
    {
        var found = await subscriptions.GetAsync(customerId, subscriptionId, ct);
        if (!found.Succeeded) return false;
        (CustomerId, Subscription) = (customerId, found.Value!);
        return true;
    }
}
