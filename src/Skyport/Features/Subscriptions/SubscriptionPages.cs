using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Skyport.Features.Catalog;
using Skyport.Web;

namespace Skyport.Features.Subscriptions;

public sealed class ChangeQuantityModel(SubscriptionService subscriptions) : PageModel
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
        var outcome = await subscriptions.ChangeAsync(customerId, subscriptionId, new ChangeSubscriptionRequest(Quantity, null, null, null), ct);
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

public sealed class ManageAddOnsModel(SubscriptionService subscriptions, CatalogQueries catalog) : PageModel
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
        var outcome = await subscriptions.BuyAddOnAsync(customerId, subscriptionId, new BuyAddOnRequest(offerId, quantity, parts[0], parts.Length > 1 ? parts[1] : null), null, ct);
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
        var eligible = await subscriptions.EligibleAddOnsAsync(customerId, subscriptionId, catalog, ct);
        Eligible = eligible.Succeeded ? [.. eligible.Value!.Where(o => o is { TermDuration: "P1M", BillingFrequency: "monthly" })] : [];
        var all = await subscriptions.ListAsync(customerId, 1, Paging.MaxSize, ct);
        Bought = all.Succeeded ? [.. all.Value!.Items.Where(s => s.ParentSubscriptionId == subscriptionId)] : [];
        return true;
    }
}

public sealed class SubscriptionHistoryModel(SubscriptionService subscriptions) : PageModel
{
    public Guid CustomerId { get; private set; }
    public SubscriptionDto Subscription { get; private set; } = null!;
    public IReadOnlyList<SubscriptionEventDto> Events { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid customerId, Guid subscriptionId, CancellationToken ct)
    {
        var found = await subscriptions.GetAsync(customerId, subscriptionId, ct);
        var events = await subscriptions.HistoryAsync(customerId, subscriptionId, ct);
        if (!found.Succeeded || !events.Succeeded) return NotFound();
        (CustomerId, Subscription, Events) = (customerId, found.Value!, events.Value!);
        return Page();
    }
}
