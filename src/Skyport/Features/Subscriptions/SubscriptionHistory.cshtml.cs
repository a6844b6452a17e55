using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Skyport.Features.Subscriptions;

/// <summary>A subscription's history: every event billing rates, who made it and where.</summary>
public sealed class SubscriptionHistoryModel(ListSubscriptions subscriptions, SubscriptionHistory history) : PageModel
{
    public Guid CustomerId { get; private set; }
    public SubscriptionDto Subscription { get; private set; } = null!;
    public IReadOnlyList<SubscriptionEventDto> Events { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid customerId, Guid subscriptionId, CancellationToken ct)
    {
        var found = await subscriptions.GetAsync(customerId, subscriptionId, ct);
        var events = await history.ReadAsync(customerId, subscriptionId, ct);
        if (!found.Succeeded || !events.Succeeded) return NotFound();
        (CustomerId, Subscription, Events) = (customerId, found.Value!, events.Value!);
        return Page();
    }
}
