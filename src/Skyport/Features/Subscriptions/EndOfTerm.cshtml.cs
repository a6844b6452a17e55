using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Skyport.Features.Billing.Rating;
using Skyport.Features.Catalog;
using Skyport.Web;

namespace Skyport.Features.Subscriptions;

/// <summary>"End of term" (R12): renew, extended service term or cancel at term end, each with what it costs a month.</summary>
public sealed class EndOfTermModel(ListSubscriptions subscriptions, ChangeSubscription change, PriceListService prices) : PageModel
{
    public Guid CustomerId { get; private set; }
    public SubscriptionDto Subscription { get; private set; } = null!;
    /// <summary>The unit price a renewal locks (the price in force on the renewal date), null when the offer has none then.</summary>
    public decimal? RenewalUnitPrice { get; private set; }
    /// <summary>The extended service term's monthly unit price: the one-month price on the renewal date plus 3 %.</summary>
    public decimal ExtendedUnitPrice { get; private set; }

    [BindProperty] public string? Action { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid customerId, Guid subscriptionId, CancellationToken ct)
    {
        if (!await LoadAsync(customerId, subscriptionId, ct)) return NotFound();
        Action = Subscription.EndOfTermAction;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid customerId, Guid subscriptionId, CancellationToken ct)
    {
        if (!await LoadAsync(customerId, subscriptionId, ct)) return NotFound();
        var outcome = await change.ChangeAsync(customerId, subscriptionId, new ChangeSubscriptionRequest(null, null, null, null, Action ?? ""), ct);
        if (outcome.Succeeded)
        {
            TempData["Message"] = $"{ServiceSubscriptionsModel.Label(outcome.Value!)}: at the end of its term on {outcome.Value!.RenewalDate:yyyy-MM-dd}, it {Describe(outcome.Value.EndOfTermAction)}.";
            return Redirect($"~/my-services/o365/{customerId}/subscriptions");
        }
        ModelState.Clear();
        ModelState.AddModelError(outcome.Failure!.Kind == FailureKind.Invalid ? nameof(Action) : string.Empty,
            outcome.Failure.Errors?.Values.SelectMany(v => v).FirstOrDefault() ?? outcome.Failure.Detail);
        return Page();
    }

    public static string Describe(string action) => action switch
    {
        EndOfTermActions.Renew => "renews for a new term",
        EndOfTermActions.Extend => "continues month to month in the extended service term",
        _ => "ends",
    };

    private async Task<bool> LoadAsync(Guid customerId, Guid subscriptionId, CancellationToken ct)
    {
        var found = await subscriptions.GetAsync(customerId, subscriptionId, ct);
        if (!found.Succeeded) return false;
        (CustomerId, Subscription) = (customerId, found.Value!);
        var s = Subscription;
        var renewsOn = s.RenewalDate.AddDays(1);
        var lookup = await prices.LookupForAsync(customerId, ct);
        RenewalUnitPrice = lookup.InForceOn(CatalogQueries.Key(s.OfferId, new OfferTerm(s.TermDuration, s.BillingFrequency)), renewsOn)?.UnitPrice;
        var source = WireNames.TryParse(s.PriceSource, out PriceSource parsed) ? parsed : PriceSource.Global;
        ExtendedUnitPrice = ExtendedServiceTerm.UnitPrice(lookup, s.OfferId, renewsOn, s.UnitPrice, source, ScheduleRenewalRules.Frequency(s.BillingFrequency)).UnitPrice;
        return true;
    }
}
