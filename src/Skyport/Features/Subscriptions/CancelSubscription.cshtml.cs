using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Skyport.Features.Billing.Reports;
using Skyport.Features.Billing.Rating;
using Skyport.Web;

namespace Skyport.Features.Subscriptions;

/// <summary>"Cancel subscription": within the 168-hour window (or in the extended service term), with the refund shown before confirming.</summary>
public sealed class CancelSubscriptionModel(ListSubscriptions subscriptions, ChangeSubscription change, BillingReports billing, TimeProvider clock) : PageModel
{
    public Guid CustomerId { get; private set; }
    public SubscriptionDto Subscription { get; private set; } = null!;
    /// <summary>What cancelling today gives back (R7), negative: the licenses from today to the period's end.</summary>
    public decimal Refund { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid customerId, Guid subscriptionId, CancellationToken ct) =>
        await LoadAsync(customerId, subscriptionId, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid customerId, Guid subscriptionId, CancellationToken ct)
    {
        if (!await LoadAsync(customerId, subscriptionId, ct)) return NotFound();
        var outcome = await change.ChangeAsync(customerId, subscriptionId, new ChangeSubscriptionRequest(null, "cancelled", null, null), ct);
        if (outcome.Succeeded)
        {
            TempData["Message"] = $"{ServiceSubscriptionsModel.Label(outcome.Value!)} is cancelled; {Math.Abs(Refund):N2} {Subscription.Currency} is refunded on the next billing report.";
            return Redirect($"~/my-services/o365/{customerId}/subscriptions");
        }
        ModelState.AddModelError(string.Empty, outcome.Failure!.Detail);
        return Page();
    }

    private async Task<bool> LoadAsync(Guid customerId, Guid subscriptionId, CancellationToken ct)
    {
        var found = await subscriptions.GetAsync(customerId, subscriptionId, ct);
        if (!found.Succeeded) return false;
        (CustomerId, Subscription) = (customerId, found.Value!);
        var s = Subscription;
        var today = Utc.DateOf(clock.GetUtcNow());
        var term = Enum.Parse<TermDuration>(s.TermDuration);
        var (unitPrice, frequency) = s.ExtendedServiceTerm is { } extended
            ? (extended.UnitPrice, BillingFrequency.Monthly)
            : (s.UnitPrice, ScheduleRenewalRules.Frequency(s.BillingFrequency));
        var naturalDays = Terms.Days(s.StartDate, term, today < s.StartDate ? 0 : Terms.IndexContaining(s.StartDate, term, today));
        Refund = ChangeQuotes.Refund(s.Quantity, unitPrice, today, frequency, await billing.CycleEndDayAsync(customerId, ct), s.RenewalDate, naturalDays);
        return true;
    }
}
