using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Tenants;

namespace Skyport.Features.Subscriptions;

/// <summary>The O365 CSP Direct service of a customer with its subscriptions, their actions, "Suspend" and "Activate".</summary>
public sealed class ServiceSubscriptionsModel(SkyportDbContext db, ListSubscriptions subscriptions, ChangeSubscription change) : PageModel
{
    public O365Service Service { get; private set; } = null!;
    public string CustomerName { get; private set; } = "";
    public IReadOnlyList<SubscriptionDto> Subscriptions { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid customerId, CancellationToken ct) =>
        await LoadAsync(customerId, ct) ? Page() : NotFound();

    public Task<IActionResult> OnPostSuspendAsync(Guid customerId, Guid subscriptionId, CancellationToken ct) =>
        ChangeAsync(customerId, subscriptionId, new ChangeSubscriptionRequest(null, "suspended", null, null),
            s => $"{Label(s)} is suspended. Billing continues while it is suspended, and auto-renew is turned off.", ct);

    public Task<IActionResult> OnPostActivateAsync(Guid customerId, Guid subscriptionId, CancellationToken ct) =>
        ChangeAsync(customerId, subscriptionId, new ChangeSubscriptionRequest(null, "active", null, null),
            s => $"{Label(s)} is active again. Auto-renew stays off until you turn it on.", ct);

    public Task<IActionResult> OnPostRemoveScheduleAsync(Guid customerId, Guid subscriptionId, [FromServices] ScheduleRenewal schedule, CancellationToken ct) =>
        ShowAsync(customerId, () => schedule.RemoveAsync(customerId, subscriptionId, ct), s => $"{Label(s)} renews as it is: the change at renewal is removed.");

    /// <summary>A change at renewal in words: "3 licenses, P1Y, annual".</summary>
    public static string Describe(ScheduledRenewalDto next) => string.Join(", ", new[]
    {
        next.Quantity is { } q ? $"{q} licenses" : null,
        next.OfferId is { } o ? $"offer {o}" : null,
        next.TermDuration,
        next.BillingFrequency is { } f ? $"billed {f}" : null,
    }.OfType<string>());

    public static string DescribeEndOfTerm(SubscriptionDto s) => s.ExtendedServiceTerm is not null ? "month to month" : s.EndOfTermAction switch
    {
        EndOfTermActions.Renew => "renews",
        EndOfTermActions.Extend => "extended service term",
        _ => "cancels",
    };

    public static string Label(SubscriptionDto s) => s.FriendlyName is { Length: > 0 } name ? $"{s.Name} ({name})" : s.Name;

    private Task<IActionResult> ChangeAsync(Guid customerId, Guid subscriptionId, ChangeSubscriptionRequest request, Func<SubscriptionDto, string> message, CancellationToken ct) =>
        ShowAsync(customerId, () => change.ChangeAsync(customerId, subscriptionId, request, ct), message);

    private async Task<IActionResult> ShowAsync(Guid customerId, Func<Task<Web.Outcome<SubscriptionDto>>> act, Func<SubscriptionDto, string> message)
    {
        var outcome = await act();
        if (!outcome.Succeeded && outcome.Failure!.Kind == Web.FailureKind.NotFound)
        {
            return NotFound();
        }
        TempData["Message"] = outcome.Succeeded ? message(outcome.Value!) : outcome.Failure!.Detail;
        return RedirectToPage(new { customerId });
    }

    private async Task<bool> LoadAsync(Guid customerId, CancellationToken ct)
    {
        var found = await (
            from service in db.O365Services.AsNoTracking()
            join customer in db.Organizations.AsNoTracking() on service.OrganizationId equals customer.Id
            where service.OrganizationId == customerId
            select new { service, customer.Name }).SingleOrDefaultAsync(ct);
        if (found is null)
        {
            return false;
        }
        (Service, CustomerName) = (found.service, found.Name);
        var list = await subscriptions.ListAsync(customerId, 1, Web.Paging.MaxSize, ct);
        Subscriptions = list.Succeeded ? list.Value!.Items : [];
        return true;
    }
}
