using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Skyport.Features.Catalog;
using Skyport.Web;

namespace Skyport.Features.Subscriptions;

/// <summary>"Manage add-ons": the add-ons bought for a base subscription, and those that fit it, each with "Add".</summary>
public sealed class ManageAddOnsModel(ListSubscriptions subscriptions, EligibleAddOns addOns, BuySubscription buy) : PageModel
{
    public Guid CustomerId { get; private set; }
    public SubscriptionDto Base { get; private set; } = null!;
    public IReadOnlyList<CustomerOfferDto> Eligible { get; private set; } = [];
    public IReadOnlyList<SubscriptionDto> Bought { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid customerId, Guid subscriptionId, CancellationToken ct) =>
        await LoadAsync(customerId, subscriptionId, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid customerId, Guid subscriptionId, string? offerId, string? term, int? quantity, CancellationToken ct)
    {
        if (!await LoadAsync(customerId, subscriptionId, ct)) return NotFound();
        var parts = (term ?? "P1M/monthly").Split('/');
        var outcome = await buy.BuyAddOnAsync(customerId, subscriptionId, new BuyAddOnRequest(offerId, quantity, parts[0], parts.Length > 1 ? parts[1] : null), null, ct);
        if (outcome.Succeeded)
        {
            TempData["Message"] = $"{outcome.Value!.Quantity} × {outcome.Value.Name} added to {Base.Name}. It is charged from today.";
            return RedirectToPage(new { customerId, subscriptionId });
        }
        ModelState.AddModelError(string.Empty, outcome.Failure!.Errors?.Values.SelectMany(v => v).FirstOrDefault() ?? outcome.Failure.Detail);
        return Page();
    }

    private async Task<bool> LoadAsync(Guid customerId, Guid subscriptionId, CancellationToken ct)
    {
        var found = await subscriptions.GetAsync(customerId, subscriptionId, ct);
        if (!found.Succeeded) return false;
        (CustomerId, Base) = (customerId, found.Value!);
        var eligible = await addOns.ListAsync(customerId, subscriptionId, ct);
        Eligible = eligible.Succeeded ? [.. eligible.Value!.Where(o => o is { TermDuration: "P1M", BillingFrequency: "monthly" })] : [];
        var all = await subscriptions.ListAsync(customerId, 1, Paging.MaxSize, ct);
        Bought = all.Succeeded ? [.. all.Value!.Items.Where(s => s.ParentSubscriptionId == subscriptionId)] : [];
        return true;
    }
}
