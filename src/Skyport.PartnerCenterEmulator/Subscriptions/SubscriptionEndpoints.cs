using Microsoft.EntityFrameworkCore;
using Skyport.PartnerCenterEmulator.Billing;
using Skyport.PartnerCenterEmulator.Catalog;
using Skyport.PartnerCenterEmulator.Control;
using Skyport.PartnerCenterEmulator.Core;
using Skyport.PartnerCenterEmulator.Customers;
using Skyport.PartnerCenterEmulator.Webhooks;

namespace Skyport.PartnerCenterEmulator.Subscriptions;

/// <summary>Subscriptions: list, get, PATCH (quantity, status, autoRenewEnabled, friendlyName) and add-ons.</summary>
public static class SubscriptionEndpoints
{
    public static void Map(IEndpointRouteBuilder v1)
    {
        var group = v1.MapGroup("/customers/{customerId}/subscriptions");
        group.MapGet("", async (string customerId, HttpContext http, EmulatorDb db, EmulatorClock clock) =>
        {
            if (await CustomerEndpoints.FindAsync(db, customerId) is not { } tenant) return CustomerEndpoints.NotFound(customerId);
            var query = db.Subscriptions.Where(s => s.TenantId == tenant.Id);
            var orderFilter = http.Request.Query["order_id"].ToString();
            if (orderFilter.Length > 0)
            {
                if (!await db.Orders.AnyAsync(o => o.Id == orderFilter && o.TenantId == tenant.Id)) return Errors.Pc(404, 20000, "Order Id not found", orderFilter);
                query = query.Where(s => s.OrderId == orderFilter);
            }
            var subs = await query.OrderBy(s => s.Seq).ToListAsync();
            return Pc.Ok(Pc.Collection(subs.Select(s => Json(s, clock.UtcNow)).ToList(), $"/customers/{tenant.Id}/subscriptions"));
        });
        group.MapGet("/{subscriptionId}", async (string customerId, string subscriptionId, EmulatorDb db, EmulatorClock clock) =>
        {
            if (await CustomerEndpoints.FindAsync(db, customerId) is not { } tenant) return CustomerEndpoints.NotFound(customerId);
            return await FindAsync(db, tenant.Id, subscriptionId) is { } s ? Pc.Ok(Json(s, clock.UtcNow)) : NotFound(subscriptionId);
        });
        group.MapGet("/{subscriptionId}/addons", async (string customerId, string subscriptionId, EmulatorDb db, EmulatorClock clock) =>
        {
            if (await CustomerEndpoints.FindAsync(db, customerId) is not { } tenant) return CustomerEndpoints.NotFound(customerId);
            if (await FindAsync(db, tenant.Id, subscriptionId) is not { } parent) return NotFound(subscriptionId);
            var addOns = await db.Subscriptions.Where(s => s.ParentSubscriptionId == parent.Id).OrderBy(s => s.Seq).ToListAsync();
            return Pc.Ok(Pc.Collection(addOns.Select(s => Json(s, clock.UtcNow)).ToList(), $"/customers/{tenant.Id}/subscriptions/{parent.Id}/addons"));
        });
        group.MapPatch("/{subscriptionId}", PatchAsync);
        group.MapGet("/customTermEndDates", CustomTermEndDatesAsync);
        TransitionEndpoints.Map(group);
    }

    private static async Task<IResult> CustomTermEndDatesAsync(string customerId, HttpContext http, EmulatorDb db, EmulatorClock clock)
    {
        if (await CustomerEndpoints.FindAsync(db, customerId) is not { } tenant) return CustomerEndpoints.NotFound(customerId);
        var query = http.Request.Query;
        var term = query["term_duration"].ToString().ToUpperInvariant();
        if (term is not ("P1M" or "P1Y" or "P3Y"))
        {
            return Errors.PcInvalid("Invalid property: term_duration must be P1M, P1Y or P3Y.", "term_duration");
        }
        var today = clock.Today;
        var start = today;
        var startText = query["term_start_date"].ToString();
        if (startText.Length > 0)
        {
            if (!DateTime.TryParse(startText, System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var at))
            {
                return Errors.PcInvalid("Invalid property: term_start_date must be a date.", "term_start_date");
            }
            start = DateOnly.FromDateTime(at);
            // custom-term-end-dates: "The intended date of purchase. This can't be in the past."
            if (start < today) return Errors.PcInvalid("Invalid property: term_start_date can't be in the past.", "term_start_date");
        }
        Guid? target = null;
        var targetText = query["target_coterm_subscription_id"].ToString();
        if (targetText.Length > 0)
        {
            if (await FindAsync(db, tenant.Id, targetText) is not { } coterm) return NotFound(targetText);
            target = coterm.Id;
        }
        var subscriptions = await db.Subscriptions.Where(s => s.TenantId == tenant.Id).ToListAsync();
        var items = CustomTermEndDates.For(term, start, subscriptions, target).Select(CustomTermEndDates.Json).ToList();
        return Pc.Ok(Pc.Collection(items, $"/customers/{tenant.Id}/subscriptions/customTermEndDates"));
    }

    public static IResult NotFound(string id) => Errors.Pc(404, 20003, $"Subscription with id {id} not found.");

    private static async Task<Subscription?> FindAsync(EmulatorDb db, Guid tenantId, string id) =>
        Guid.TryParse(id, out var sid) ? await db.Subscriptions.FirstOrDefaultAsync(s => s.Id == sid && s.TenantId == tenantId) : null;

    private static async Task<IResult> PatchAsync(
        string customerId, string subscriptionId, HttpContext http, EmulatorDb db, EmulatorClock clock, WebhookDispatcher webhooks, ProcessingSettings processing, DelayedWork delayed)
    {
        if (await CustomerEndpoints.FindAsync(db, customerId) is not { } tenant) return CustomerEndpoints.NotFound(customerId);
        if (await FindAsync(db, tenant.Id, subscriptionId) is not { } s) return NotFound(subscriptionId);
        var (body, error) = await Pc.BodyAsync(http);
        if (error is not null) return error;
        var change = new SubscriptionChange(
            body!.Int("quantity"), body.String("status")?.ToLowerInvariant(), body.Bool("autoRenewEnabled"), body.String("friendlyName"), body.Bool("cancelAtTermEnd"));
        var billingCycle = body.String("billingCycle");
        if (Pc.Invalid(body) is { } invalid) return invalid;

        if (billingCycle is not null && !billingCycle.Equals(s.BillingCycle, StringComparison.OrdinalIgnoreCase))
        {
            return Errors.Pc(400, 2054, "The billing cycle for an existing subscription cannot be updated using update-subscription operation. Please use update-Order operation");
        }
        if (s.PendingChange is not null)
        {
            return Errors.Pc(409, 900278, "There is a pending operation on this subscription. Please try again after 24 hours.");
        }
        var now = clock.UtcNow;
        if (await RefuseAsync(db, s, change, now) is { } refused) return refused;
        var autoRenewAfter = change.CancelAtTermEnd == true ? false : change.AutoRenewEnabled ?? s.AutoRenewEnabled;
        var others = await db.Subscriptions.Where(o => o.TenantId == tenant.Id).ToListAsync();
        var (scheduleSent, schedule, scheduleError) = ScheduledChanges.Read(body, s, autoRenewAfter, others);
        if (scheduleError is not null) return scheduleError;
        if (!scheduleSent && Changes(s, change) && processing.DrawPatchAccepted())
        {
            // Microsoft: "When the patch operation takes longer than the expected time, the Partner Center sends an HTTP
            // status 202 status code and a location header that points to where to retrieve the subscription."
            var due = now + processing.PatchAppliesAfter;
            s.PendingChange = new PendingSubscriptionChange(change, due);
            await db.SaveChangesAsync();
            delayed.DueAt(due);
            http.Response.Headers.Location = $"/customers/{tenant.Id}/subscriptions/{s.Id}";
            return Results.StatusCode(202);
        }
        var changed = await ApplyAsync(db, s, change, now);
        if (scheduleSent && s.ScheduledNextTerm != schedule)
        {
            s.ScheduledNextTerm = schedule;
            s.Etag++;
            await db.SaveChangesAsync();
            changed = true;
        }
        if (changed)
        {
            webhooks.Raise("subscription-updated", "subscription", $"/webhooks/v1/customers/{tenant.Id}/subscriptions/{s.Id}", now);
        }
        return Pc.Ok(Json(s, now));
    }

    private static bool Changes(Subscription s, SubscriptionChange c) =>
        (c.Quantity is not null && c.Quantity != s.Quantity) || (c.Status is not null && c.Status != s.Status)
        || (c.AutoRenewEnabled is not null && c.AutoRenewEnabled != s.AutoRenewEnabled) || (c.FriendlyName is not null && c.FriendlyName != s.FriendlyName)
        || (c.CancelAtTermEnd is not null && c.CancelAtTermEnd != s.CancelAtTermEnd);

    /// <summary>Partner Center's refusal of the change, or null when it can be made now.</summary>
    public static async Task<IResult?> RefuseAsync(EmulatorDb db, Subscription s, SubscriptionChange change, DateTime now)
    {
        var (quantity, status, _, _, _) = change;
        var quantityChanges = quantity is not null && quantity != s.Quantity;
        var statusChanges = status is not null && status != s.Status;
        if (s.Status is SubscriptionStatuses.Deleted or SubscriptionStatuses.Expired && Changes(s, change))
        {
            return Errors.Pc(400, 2011, $"Subscription with id {s.Id} and {s.Status} status cannot be updated.");
        }
        if (s.Status == SubscriptionStatuses.Pending && Changes(s, change))
        {
            return Errors.Pc(409, 800060, "Your order is in progress. Check your order history for recent orders in few minutes");
        }
        if (status is not (null or SubscriptionStatuses.Active or SubscriptionStatuses.Suspended or SubscriptionStatuses.Deleted))
        {
            return Errors.Pc(400, 800096, "Cannot update the status for this subscription", $"Status {status} cannot be requested.");
        }
        if (quantityChanges && statusChanges)
        {
            return Errors.Pc(400, 800095, "Cannot update the seat quantity for this subscription", "Change the quantity and the status in separate requests.");
        }
        var autoRenewChanges = change.AutoRenewEnabled is not null && change.AutoRenewEnabled != s.AutoRenewEnabled;
        var termEndChanges = change.CancelAtTermEnd is not null && change.CancelAtTermEnd != s.CancelAtTermEnd;
        if (s.ExtendedSince is not null && (quantityChanges || autoRenewChanges || termEndChanges || (statusChanges && status != SubscriptionStatuses.Deleted)))
        {
            return ExtendedServiceTerm.OnlyCancellation();
        }
        if (change.CancelAtTermEnd == true && change.AutoRenewEnabled == true)
        {
            return Errors.Pc(400, 3000, "A subscription cannot both renew and be cancelled at term end.", "cancelAtTermEnd", "autoRenewEnabled");
        }
        if (s.Status == SubscriptionStatuses.Suspended && termEndChanges) return Errors.Pc(400, 800091, "Cannot update a subscription with suspended status");
        if (s.Status == SubscriptionStatuses.Suspended && !(statusChanges && status == SubscriptionStatuses.Active) && (quantityChanges || autoRenewChanges))
        {
            return quantityChanges
                ? Errors.Pc(400, 2001, "Subscription quantity cannot be increased or decreased while subscription is being suspended")
                : Errors.Pc(400, 800091, "Cannot update a subscription with suspended status");
        }
        var item = CatalogData.Sku(s.ProductId, s.SkuId)!;
        if (quantityChanges)
        {
            if (quantity < 1) return Errors.Pc(400, 2002, "Subscription quantity is not within minimum and maximum allowed quantity");
            if (quantity > item.MaximumQuantity)
            {
                return Errors.Pc(403, 800067, "The desired seat count exceeded the maximum seat count allowed per subscription",
                    $"The requested number of {quantity} seats exceeds the remaining limit of {item.MaximumQuantity} seats allowed per subscription for the CatalogItemId - {item.CatalogItemId}");
            }
            if (quantity < s.Quantity && SeatWindow.Remove(s.SeatAdditions, s.Quantity - quantity!.Value, now) is null)
            {
                return Errors.Pc(400, 800090, "Subscription quantity cannot be decreased",
                    $"Only {SeatWindow.Refundable(s.SeatAdditions, now)} seats were added within the last 168 hours and can be removed.");
            }
        }
        // An extended subscription can be cancelled at any time; any other only within its window.
        if (statusChanges && status == SubscriptionStatuses.Deleted && s.ExtendedSince is null && now > s.CancellationAllowedUntil)
        {
            return Errors.Pc(400, 800096, "Cannot update the status for this subscription",
                $"The cancellation window ended at {Pc.Date(s.CancellationAllowedUntil)}.");
        }
        if (statusChanges && status == SubscriptionStatuses.Active && s.ParentSubscriptionId is { } parentId
            && await db.Subscriptions.FindAsync(parentId) is { Status: not SubscriptionStatuses.Active })
        {
            return Errors.Pc(409, 27009, "Cannot enable a child subscription, when the parent subscription is not Active");
        }
        return null;
    }

    /// <summary>Makes a change that <see cref="RefuseAsync"/> let through, and saves; true when a webhook is due.</summary>
    public static async Task<bool> ApplyAsync(EmulatorDb db, Subscription s, SubscriptionChange change, DateTime now)
    {
        var (quantity, status, autoRenew, friendlyName, cancelAtTermEnd) = change;
        var quantityChanges = quantity is not null && quantity != s.Quantity;
        var statusChanges = status is not null && status != s.Status;
        if (cancelAtTermEnd == true) autoRenew = false;
        var autoRenewChanges = autoRenew is not null && autoRenew != s.AutoRenewEnabled;
        var nameChanges = friendlyName is not null && friendlyName != s.FriendlyName;
        var termEndChanges = cancelAtTermEnd is not null && cancelAtTermEnd != s.CancelAtTermEnd;
        // create-scheduled-changes: "If you make a mid-term (immediate) change before your renewal date, all scheduled
        // changes that were previously scheduled to occur at renewal are deleted."
        if (quantityChanges || statusChanges || (autoRenewChanges && autoRenew == false)) s.ScheduledNextTerm = null;
        if (termEndChanges) s.CancelAtTermEnd = cancelAtTermEnd!.Value;
        if (autoRenewChanges && autoRenew == true) s.CancelAtTermEnd = false;
        if (quantityChanges)
        {
            var seats = quantity > s.Quantity
                ? [.. s.SeatAdditions, new SeatAddition(quantity!.Value - s.Quantity, now)]
                : SeatWindow.Remove(s.SeatAdditions, s.Quantity - quantity!.Value, now)!;
            db.Charges.AddRange(Charges.QuantityChange(s, s.Quantity, quantity.Value, now));
            s.SeatAdditions = seats;
            s.Quantity = quantity.Value;
        }
        if (statusChanges)
        {
            switch (status)
            {
                case SubscriptionStatuses.Deleted:
                    db.Charges.Add(Charges.Cancellation(s, now));
                    s.Status = SubscriptionStatuses.Deleted;
                    s.EndedAt = now;
                    s.AutoRenewEnabled = false;
                    break;
                case SubscriptionStatuses.Suspended:
                    s.Status = SubscriptionStatuses.Suspended;
                    s.AutoRenewEnabled = false;
                    s.SuspensionReasons = ["PartnerInitiated"];
                    break;
                case SubscriptionStatuses.Active:
                    s.Status = SubscriptionStatuses.Active;
                    s.SuspensionReasons = [];
                    break;
            }
        }
        if (autoRenewChanges && s.Status == SubscriptionStatuses.Active) s.AutoRenewEnabled = autoRenew!.Value;
        if (nameChanges) s.FriendlyName = friendlyName!;
        if (quantityChanges || statusChanges || autoRenewChanges || nameChanges || termEndChanges) s.Etag++;
        await db.SaveChangesAsync();
        return quantityChanges || statusChanges || autoRenewChanges || termEndChanges;
    }

    public static object Json(Subscription s, DateTime now)
    {
        var item = CatalogData.Sku(s.ProductId, s.SkuId)!;
        return new
        {
            id = s.Id,
            offerId = item.CatalogItemId,
            offerName = s.OfferName,
            friendlyName = s.FriendlyName,
            productType = new { id = CatalogData.NceProductType, displayName = CatalogData.NceProductType },
            quantity = s.Quantity,
            unitType = "Licenses",
            parentSubscriptionId = s.ParentSubscriptionId,
            hasPurchasableAddons = CatalogData.Items.Any(i => i.Prerequisites.Contains(item.ItemCode)),
            creationDate = Pc.Date(s.CreationDate),
            effectiveStartDate = Pc.Date(s.TermStartDate),
            commitmentEndDate = Pc.Date(s.CommitmentEndDate),
            // Microsoft: "the term end date if cancellable any time", as an extended subscription is.
            cancellationAllowedUntilDate = s.ExtendedSince is not null && s.Status == SubscriptionStatuses.Active
                ? Pc.Date(s.CommitmentEndDate)
                : s.Status == SubscriptionStatuses.Active || s.Status == SubscriptionStatuses.Suspended
                    ? (now <= s.CancellationAllowedUntil ? Pc.Date(s.CancellationAllowedUntil) : null)
                    : null,
            billingCycleEndDate = Pc.Date(Charges.PeriodContaining(s, DateOnly.FromDateTime(now) < s.TermStartDate ? s.TermStartDate : DateOnly.FromDateTime(now) > s.CommitmentEndDate ? s.CommitmentEndDate : DateOnly.FromDateTime(now)).End),
            status = s.Status,
            autoRenewEnabled = s.AutoRenewEnabled,
            isTrial = false,
            billingType = "license",
            billingCycle = s.BillingCycle,
            termDuration = s.TermDuration,
            renewalTermDuration = s.AutoRenewEnabled ? s.ScheduledNextTerm?.TermDuration ?? s.TermDuration : "",
            scheduledNextTermInstructions = ScheduledChanges.Json(s.ScheduledNextTerm),
            cancelAtTermEnd = s.CancelAtTermEnd,
            extendedServiceTerm = ExtendedServiceTerm.Json(s),
            refundOptions = now <= s.CancellationAllowedUntil
                ? new[] { new { type = "Full", expiresAt = Pc.Date(s.CancellationAllowedUntil) } }
                : [],
            refundableQuantity = SeatWindow.RefundableQuantity(s.ExtendedSince is null ? s.SeatAdditions : [], now),
            suspensionReasons = s.SuspensionReasons,
            isMicrosoftProduct = true,
            partnerId = "",
            attentionNeeded = false,
            actionTaken = false,
            contractType = "subscription",
            currencyCode = s.Currency,
            links = new
            {
                product = Pc.Link($"/products/{s.ProductId}?country=US"),
                sku = Pc.Link($"/products/{s.ProductId}/skus/{s.SkuId}?country=US"),
                availability = Pc.Link($"/products/{s.ProductId}/skus/{s.SkuId}/availabilities/{s.AvailabilityId}?country=US"),
                self = Pc.Link($"/customers/{s.TenantId}/subscriptions/{s.Id}"),
            },
            publisherName = "Microsoft Corporation",
            orderId = s.OrderId,
            attributes = new { etag = s.Etag.ToString(), objectType = "Subscription" },
        };
    }
}
