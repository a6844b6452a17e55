using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Skyport.Web;

namespace Skyport.Features.Subscriptions;

/// <summary>
/// "Upgrade": the offers Partner Center allows and Skyport sells, the seats to move and whether assigned licenses move with
/// them, and what the change costs (refund, charge, net; re-drawn by htmx) before "Upgrade" confirms it.
/// </summary>
public sealed class UpgradeModel(ListSubscriptions subscriptions, UpgradeTargets targets, UpgradeSubscription upgrade, Caller caller) : PageModel
{
    public Guid CustomerId { get; private set; }
    public SubscriptionDto Subscription { get; private set; } = null!;
    public IReadOnlyList<UpgradeOfferDto> Offers { get; private set; } = [];
    /// <summary>Why no offer can be listed (Partner Center did not answer, the subscription is not active).</summary>
    public string? Unavailable { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? ToOfferId { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Quantity { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool TransferLicenses { get; set; }

    /// <summary>Names this upgrade across a resubmission after Partner Center did not answer, so it is made once.</summary>
    [BindProperty]
    public Guid? UpgradeKey { get; set; }

    public UpgradeOfferDto? Selected => Offers.FirstOrDefault(o => o.OfferId.Equals(ToOfferId, StringComparison.OrdinalIgnoreCase));

    public async Task<IActionResult> OnGetAsync(Guid customerId, Guid subscriptionId, CancellationToken ct)
    {
        if (!await LoadAsync(customerId, subscriptionId, ct)) return NotFound();
        UpgradeKey ??= Guid.NewGuid();
        if (!Request.Query.ContainsKey(nameof(TransferLicenses))) TransferLicenses = true;
        return Page();
    }

    /// <summary>The cost of the change for the offer and seats chosen.</summary>
    public async Task<IActionResult> OnGetQuoteAsync(Guid customerId, Guid subscriptionId, CancellationToken ct) =>
        await LoadAsync(customerId, subscriptionId, ct) ? Partial("_UpgradeQuote", this) : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid customerId, Guid subscriptionId, CancellationToken ct)
    {
        var outcome = await upgrade.UpgradeAsync(customerId, subscriptionId, new UpgradeSubscriptionRequest(ToOfferId, Quantity, TransferLicenses),
            UpgradeKey is { } key ? $"page:{caller.UserId:N}:{key:N}" : null, ct);
        if (outcome.Succeeded)
        {
            TempData["Message"] = $"Upgraded: {outcome.Value!.Quantity} × {outcome.Value.Name}{(TransferLicenses ? ", with the users' licenses" : "")}. Both subscriptions' histories show the upgrade.";
            return Redirect($"~/my-services/o365/{customerId}/subscriptions");
        }
        if (outcome.Failure!.Kind == FailureKind.NotFound) return NotFound();
        if (outcome.Failure.Kind != FailureKind.UpstreamFailed) UpgradeKey = Guid.NewGuid(); // a corrected form is a new upgrade
        if (!await LoadAsync(customerId, subscriptionId, ct)) return NotFound();
        ModelState.Clear();
        ModelState.AddFailure(outcome.Failure);
        return Page();
    }

    private async Task<bool> LoadAsync(Guid customerId, Guid subscriptionId, CancellationToken ct)
    {
        var found = await subscriptions.GetAsync(customerId, subscriptionId, ct);
        if (!found.Succeeded) return false;
        (CustomerId, Subscription) = (customerId, found.Value!);
        var seats = Quantity is { } q && q >= 1 && q <= Subscription.Quantity ? q : (int?)null;
        Quantity ??= Subscription.Quantity;
        var offers = await targets.ListAsync(customerId, subscriptionId, seats, ct);
        if (offers.Succeeded)
        {
            Offers = offers.Value!;
            Unavailable = Offers.Count > 0 ? null
                : Subscription.Status == "active" ? $"{Subscription.Name} cannot be upgraded to any offer sold here."
                : $"Only an active subscription can be upgraded; {Subscription.Name} is {SubscriptionMath.Label(Subscription.Status).ToLowerInvariant()}.";
        }
        else
        {
            Unavailable = offers.Failure!.Detail;
        }
        return true;
    }
}
