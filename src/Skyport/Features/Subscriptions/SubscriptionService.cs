using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Audit;
using Skyport.Features.Billing.Preview;
using Skyport.Features.Billing.Rating;
using Skyport.Features.Catalog;
using Skyport.Features.Organizations;
using Skyport.Features.Tenants;
using Skyport.PartnerCenter;
using Skyport.Web;

namespace Skyport.Features.Subscriptions;

/// <summary>
/// Buys, lists and changes a customer's subscriptions. Every change is made in Partner Center first and stored only once
/// Partner Center has it, with an event billing can rate, so Skyport never shows a state Partner Center does not have.
/// </summary>
public sealed class SubscriptionService(
    SkyportDbContext db,
    PartnerCenterClient partnerCenter,
    PriceListService prices,
    Caller caller,
    AuditLog audit,
    TimeProvider clock,
    SubscriptionSyncQueue sync,
    ThisInstance instance,
    ILogger<SubscriptionService> logger)
{
    private DateOnly Today => Utc.DateOf(clock.GetUtcNow());

    /// <param name="operationKey">Names the purchase across its retries (see <see cref="RequestIdempotency.OperationKey"/>): a retry continues the first attempt.</param>
    public async Task<Outcome<SubscriptionDto>> BuyAsync(Guid customerId, BuySubscriptionRequest request, string? operationKey, CancellationToken ct) =>
        await PurchaseAsync(customerId, request, null, operationKey, ct);

    public async Task<Outcome<SubscriptionDto>> BuyAddOnAsync(Guid customerId, Guid baseId, BuyAddOnRequest request, string? operationKey, CancellationToken ct)
    {
        var parent = await db.O365Subscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == baseId && s.OrganizationId == customerId, ct);
        if (parent is null)
        {
            return Failure.NotFound("The subscription");
        }
        return await PurchaseAsync(customerId, new BuySubscriptionRequest(request.OfferId, request.Quantity, null, null, request.TermDuration, request.BillingFrequency), parent, operationKey, ct);
    }

    private async Task<Outcome<SubscriptionDto>> PurchaseAsync(Guid customerId, BuySubscriptionRequest request, O365Subscription? parent, string? operationKey, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.OfferId)) errors["offerId"] = ["Choose an offer."];
        if (request.Quantity is not { } quantity || quantity < 1 || quantity > SubscriptionMath.MaxQuantity) errors["quantity"] = [$"The quantity must be between 1 and {SubscriptionMath.MaxQuantity:N0}."];
        var friendlyName = string.IsNullOrWhiteSpace(request.FriendlyName) ? null : request.FriendlyName.Trim();
        if (friendlyName?.Length > SubscriptionMath.MaxFriendlyName) errors["friendlyName"] = [$"The friendly name has at most {SubscriptionMath.MaxFriendlyName} characters."];
        var purchaseOrder = string.IsNullOrWhiteSpace(request.PurchaseOrderNumber) ? null : request.PurchaseOrderNumber.Trim();
        if (purchaseOrder?.Length > SubscriptionMath.MaxPurchaseOrderNumber) errors["purchaseOrderNumber"] = [$"The purchase order number has at most {SubscriptionMath.MaxPurchaseOrderNumber} characters."];
        if (errors.Count > 0) return Failure.Invalid(errors);

        if (await ActiveServiceAsync(customerId, ct) is not { } tenantId)
        {
            return await db.Organizations.AnyAsync(o => o.Id == customerId && o.Kind == OrganizationKind.Customer, ct)
                ? Failure.RuleRefused("This customer has no active O365 CSP Direct service: add the service from the E-store first.")
                : Failure.NotFound("The customer");
        }
        var offer = await db.CatalogOffers.AsNoTracking().SingleOrDefaultAsync(o => o.Id == request.OfferId!.Trim(), ct);
        if (offer is null || offer.Hidden || !offer.Available)
        {
            return Failure.Invalid("offerId", $"{request.OfferId} is not an offer of the catalog.");
        }
        if (parent is null && offer.IsAddOn)
        {
            return Failure.RuleRefused($"{offer.Name} is an add-on: buy it for a base subscription under Manage add-ons.");
        }
        if (parent is not null)
        {
            var parentOffer = await db.CatalogOffers.AsNoTracking().SingleOrDefaultAsync(o => o.Id == parent.OfferId, ct);
            if (!offer.IsAddOn || parentOffer is null || !offer.BaseItemCodeList.Contains(parentOffer.ItemCode, StringComparer.OrdinalIgnoreCase))
            {
                return Failure.RuleRefused($"{offer.Name} is not an add-on of {parent.Name}.");
            }
            if (parent.Status is not (SubscriptionStatus.Active or SubscriptionStatus.Suspended))
            {
                return Failure.RuleRefused($"Add-ons can only be bought for an active or suspended subscription; {parent.Name} is {SubscriptionMath.Text(parent.Status)}.");
            }
        }
        if (request.Quantity > offer.MaximumQuantity)
        {
            return Failure.Invalid("quantity", $"{offer.Name} is sold up to {offer.MaximumQuantity:N0} licenses per subscription.");
        }
        var term = ChooseTerm(offer, request.TermDuration, request.BillingFrequency);
        if (term is null)
        {
            return Failure.Invalid("termDuration", $"{offer.Name} is not sold with {request.TermDuration ?? "that term"} billed {request.BillingFrequency ?? "that way"}.");
        }
        var lookup = await prices.LookupForAsync(customerId, ct);
        var quote = lookup.InForceOn(CatalogQueries.Key(offer.Id, term), Today);
        if (quote is null)
        {
            return Failure.RuleRefused($"{offer.Name} ({term.TermDuration}, billed {term.BillingFrequency}) has no price for this customer, so it cannot be bought. Ask the broker to add it to the global or the customer's price list.");
        }

        var intent = operationKey is null ? null : await db.PurchaseIntents.SingleOrDefaultAsync(p => p.OperationKey == operationKey, ct);
        if (intent is null)
        {
            intent = new PurchaseIntent
            {
                OperationKey = operationKey,
                OrganizationId = customerId,
                TenantId = tenantId,
                OfferId = offer.Id,
                Quantity = request.Quantity!.Value,
                TermDuration = term.TermDuration,
                BillingFrequency = term.BillingFrequency,
                FriendlyName = friendlyName,
                PurchaseOrderNumber = purchaseOrder,
                ParentSubscriptionId = parent?.Id,
                UnitPrice = quote.UnitPrice,
                PriceSource = ScenarioText.Of(quote.Source),
                Currency = prices.Currency,
                Buyer = Actor,
                OwnerInstanceId = instance.Id,
                CreatedAt = clock.GetUtcNow(),
                UpdatedAt = clock.GetUtcNow(),
            };
            db.PurchaseIntents.Add(intent);
            try
            {
                await db.SaveChangesAsync(CancellationToken.None);
            }
            catch (DbUpdateException)
            {
                return Failure.Conflict("A purchase with this Idempotency-Key is in progress. Try again shortly.");
            }
        }
        else if (intent.OrganizationId != customerId || intent.OfferId != offer.Id || intent.Quantity != request.Quantity || intent.ParentSubscriptionId != parent?.Id)
        {
            return Failure.RuleRefused("This Idempotency-Key was already used for a different purchase. Use a new key for a new purchase.");
        }
        else if (!await ClaimAsync(intent, ct))
        {
            return Failure.Conflict("This purchase is in progress. Try again shortly.");
        }
        return await ContinueAsync(intent, offer, parent, ct);
    }

    /// <summary>Takes over a recorded purchase whose instance is gone (a crash), or one no instance works on.</summary>
    private async Task<bool> ClaimAsync(PurchaseIntent intent, CancellationToken ct)
    {
        if (intent.Stage is PurchaseStage.Completed or PurchaseStage.Refused || intent.OwnerInstanceId == instance.Id)
        {
            return true;
        }
        if (intent.OwnerInstanceId is { } owner && await InstanceLiveness.IsAliveAsync(db, owner, ct))
        {
            return false;
        }
        intent.OwnerInstanceId = instance.Id;
        intent.Version++;
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }

    /// <summary>
    /// Carries a recorded purchase on from where it stopped: the cart and the checkout are sent with the intent's own
    /// MS-RequestIds, so that Partner Center answers a repeated call with what it did the first time; each step's
    /// result is saved before the next call.
    /// </summary>
    private async Task<Outcome<SubscriptionDto>> ContinueAsync(PurchaseIntent intent, CatalogOffer offer, O365Subscription? parent, CancellationToken ct)
    {
        if (intent.Stage == PurchaseStage.Refused)
        {
            return Failure.RuleRefused($"Partner Center refused the order: {intent.Refusal}");
        }
        if (intent.Stage == PurchaseStage.Completed
            && await db.O365Subscriptions.SingleOrDefaultAsync(s => s.Id == intent.SubscriptionId, ct) is { } done)
        {
            if (done.Status == SubscriptionStatus.Pending)
            {
                await ResyncAsync(done, intent.TenantId); // the retry of a purchase answered "being processed" reads it again
            }
            return await ToDtoAsync(done, ct);
        }
        var line = new CartLine(intent.OfferId, intent.Quantity, intent.TermDuration, intent.BillingFrequency, intent.FriendlyName, intent.ParentSubscriptionId);
        string? orderStatus = null;
        using var purchasing = sync.PurchaseInFlight(intent.TenantId);
        try
        {
            if (intent.CartId is null)
            {
                var cart = await partnerCenter.CreateCartAsync(intent.TenantId, [line], ct, intent.CartRequestId);
                if (!cart.IsSuccess) return await RefusedAsync(intent, offer, cart.Error!);
                intent.CartId = cart.Value?.Id ?? throw new HttpRequestException("Partner Center answered the cart without it.");
                await AdvanceAsync(intent, PurchaseStage.CartCreated);
            }
            if (intent.SubscriptionId is null)
            {
                var checkout = await partnerCenter.CheckoutAsync(intent.TenantId, intent.CartId.Value, intent.CheckoutRequestId, ct);
                if (checkout.IsSuccess && checkout.Value?.Orders is { Count: > 0 })
                {
                    intent.SubscriptionId = PartnerCenterClient.SubscriptionIds(checkout.Value!, [line])[0];
                    orderStatus = checkout.Value!.Orders.FirstOrDefault(o => o.LineItems.Any(i => i.SubscriptionId == intent.SubscriptionId))?.Status;
                }
                else if (await OrderedEarlierAsync(intent, line, ct) is { } earlier)
                {
                    intent.SubscriptionId = earlier;
                }
                else if (checkout.IsSuccess)
                {
                    throw new HttpRequestException("Partner Center answered the checkout without its orders.");
                }
                else
                {
                    return await RefusedAsync(intent, offer, checkout.Error!);
                }
                await AdvanceAsync(intent, PurchaseStage.Ordered);
            }
        }
        catch (Exception exception) when (PartnerCenterFailures.IsUnanswered(exception) && !ct.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Partner Center did not answer a purchase for customer {Customer}", intent.OrganizationId);
            await audit.RecordAsync(intent.OrganizationId, "Buy subscription", "failed", $"{offer.Name}: Partner Center did not answer", CancellationToken.None);
            return Failure.UpstreamFailed(intent.OperationKey is null
                ? "Partner Center did not answer, so the purchase may not have been made. Check the subscriptions before buying again."
                : "Partner Center did not answer. Retry with the same Idempotency-Key: the purchase continues where it stopped and is never made twice.");
        }
        return await StoreAsync(intent, parent, orderStatus, ct);
    }

    /// <summary>
    /// After a refused checkout, whether an earlier attempt checked this cart out already (Partner Center refuses a
    /// second checkout of a cart): then the order is looked up rather than the purchase called failed or made again.
    /// </summary>
    private async Task<Guid?> OrderedEarlierAsync(PurchaseIntent intent, CartLine line, CancellationToken ct)
    {
        var cart = await partnerCenter.GetCartAsync(intent.TenantId, intent.CartId!.Value, ct);
        if (!cart.IsSuccess || cart.Value!.Status.Equals("Active", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var orders = await partnerCenter.ListOrdersAsync(intent.TenantId, ct);
        if (!orders.IsSuccess)
        {
            return null;
        }
        var known = await db.O365Subscriptions.AsNoTracking().Where(s => s.OrganizationId == intent.OrganizationId).Select(s => s.Id).ToListAsync(ct);
        var claimed = await db.PurchaseIntents.AsNoTracking().Where(p => p.TenantId == intent.TenantId && p.Id != intent.Id && p.SubscriptionId != null).Select(p => p.SubscriptionId!.Value).ToListAsync(ct);
        var candidates = orders.Value!
            .Where(o => o.CreationDate >= intent.CreatedAt.AddMinutes(-1))
            .SelectMany(o => o.LineItems)
            .Where(i => i.OfferId.Equals(line.CatalogItemId, StringComparison.OrdinalIgnoreCase) && i.Quantity == line.Quantity
                && i.ParentSubscriptionId == line.ParentSubscriptionId && !known.Contains(i.SubscriptionId) && !claimed.Contains(i.SubscriptionId))
            .Select(i => i.SubscriptionId)
            .ToList();
        return candidates.Count == 1 ? candidates[0] : null;
    }

    private async Task AdvanceAsync(PurchaseIntent intent, PurchaseStage stage)
    {
        intent.Stage = stage;
        intent.UpdatedAt = clock.GetUtcNow();
        intent.Version++;
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private async Task<Outcome<SubscriptionDto>> RefusedAsync(PurchaseIntent intent, CatalogOffer offer, PartnerCenterError error)
    {
        intent.Refusal = error.Description.Length > 2000 ? error.Description[..2000] : error.Description;
        await AdvanceAsync(intent, PurchaseStage.Refused);
        await audit.RecordAsync(intent.OrganizationId, "Buy subscription", "refused by Partner Center", $"{offer.Name}: {error.Description}", CancellationToken.None);
        return Failure.RuleRefused($"Partner Center refused the order: {error.Description}");
    }

    /// <summary>
    /// Stores the subscription Partner Center made, with its purchase event, and marks the intent done in the same save.
    /// While Partner Center's order is pending the subscription is stored as pending and without a purchase event, so
    /// billing does not rate it; the event is written when Partner Center shows it active (<see cref="SubscriptionReconciler.ApplyRemote"/>).
    /// </summary>
    private async Task<Outcome<SubscriptionDto>> StoreAsync(PurchaseIntent intent, O365Subscription? parent, string? orderStatus, CancellationToken ct)
    {
        var id = intent.SubscriptionId!.Value;
        var now = clock.GetUtcNow();
        var start = Utc.DateOf(intent.CreatedAt);
        // Unknown (the read failed on a retry): pending until Partner Center shows otherwise, so nothing is billed early.
        var status = orderStatus is null || orderStatus.Equals("pending", StringComparison.OrdinalIgnoreCase) ? SubscriptionStatus.Pending : SubscriptionStatus.Active;
        var name = (await db.CatalogOffers.AsNoTracking().Where(o => o.Id == intent.OfferId).Select(o => o.Name).SingleOrDefaultAsync(ct)) ?? intent.OfferId;
        try
        {
            var read = await partnerCenter.GetSubscriptionAsync(intent.TenantId, id, ct);
            if (read.IsSuccess)
            {
                start = Utc.DateOf(read.Value!.CreationDate);
                name = read.Value.OfferName;
                status = SubscriptionMath.StatusFromPartnerCenter(read.Value.Status);
            }
        }
        catch (Exception exception) when (PartnerCenterFailures.IsUnanswered(exception))
        {
            logger.LogInformation(exception, "Reading subscription {Id} back failed; its purchase date is taken as the day the purchase was asked", id);
        }
        var subscription = await db.O365Subscriptions.SingleOrDefaultAsync(s => s.Id == id, ct);
        if (subscription is null)
        {
            subscription = new O365Subscription
            {
                Id = id,
                OrganizationId = intent.OrganizationId,
                OfferId = intent.OfferId,
                Name = name,
                FriendlyName = intent.FriendlyName,
                PurchaseOrderNumber = intent.PurchaseOrderNumber,
                Quantity = intent.Quantity,
                Status = status,
                AutoRenew = true,
                TermDuration = intent.TermDuration,
                BillingFrequency = intent.BillingFrequency,
                StartDate = start,
                UnitPrice = intent.UnitPrice,
                PriceSource = intent.PriceSource,
                Currency = intent.Currency,
                ParentSubscriptionId = intent.ParentSubscriptionId,
                CreatedAt = now,
            };
            db.O365Subscriptions.Add(subscription);
            if (status != SubscriptionStatus.Pending)
            {
                db.SubscriptionEvents.Add(Event(subscription, SubscriptionEventKind.Purchase, now, 0, subscription.Quantity, true, ChangeSide.Skyport));
            }
        }
        else
        {
            // A reconcile adopted it from Partner Center first (with its purchase event): add what only this purchase knows.
            subscription.FriendlyName = intent.FriendlyName;
            subscription.PurchaseOrderNumber = intent.PurchaseOrderNumber;
            subscription.UnitPrice = intent.UnitPrice;
            subscription.PriceSource = intent.PriceSource;
        }
        intent.Stage = PurchaseStage.Completed;
        intent.UpdatedAt = now;
        intent.OwnerInstanceId = null;
        intent.Version++;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The reconcile adopted it between the read and the save: the next retry finds that row and completes.
            db.ChangeTracker.Clear();
            return Failure.Conflict("The subscription was just stored by another process. Retry to see it.");
        }
        await audit.RecordAsync(intent.OrganizationId, parent is null ? "Buy subscription" : "Buy add-on",
            subscription.Status == SubscriptionStatus.Pending ? "being processed" : "succeeded", $"{subscription.Quantity} × {name} ({id})", ct);
        return await ToDtoAsync(subscription, ct);
    }

    public async Task<Outcome<SubscriptionList>> ListAsync(Guid customerId, int? page, int? pageSize, CancellationToken ct)
    {
        if (Paging.Check(page, pageSize) is { } bad) return bad;
        if (!await db.Organizations.AnyAsync(o => o.Id == customerId && o.Kind == OrganizationKind.Customer, ct)) return Failure.NotFound("The customer");
        var all = await db.O365Subscriptions.AsNoTracking().Where(s => s.OrganizationId == customerId).ToListAsync(ct);
        // Add-ons follow their base subscription.
        var ordered = all.Where(s => s.ParentSubscriptionId is null).OrderBy(s => s.CreatedAt)
            .SelectMany(b => all.Where(a => a.ParentSubscriptionId == b.Id).OrderBy(a => a.CreatedAt).Prepend(b))
            .Concat(all.Where(a => a.ParentSubscriptionId is { } p && all.All(b => b.Id != p)))
            .ToList();
        var size = pageSize ?? Paging.DefaultSize;
        var pageItems = ordered.Skip(((page ?? 1) - 1) * size).Take(size).ToList();
        var consumed = await ConsumedAsync(customerId, all, ct);
        return new SubscriptionList([.. pageItems.Select(s => ToDto(s, consumed.GetValueOrDefault(s.Id)))], ordered.Count);
    }

    public async Task<Outcome<SubscriptionDto>> GetAsync(Guid customerId, Guid id, CancellationToken ct)
    {
        var subscription = await db.O365Subscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id && s.OrganizationId == customerId, ct);
        if (subscription is null) return Failure.NotFound("The subscription");
        var consumed = await ConsumedAsync(customerId, [subscription], ct);
        return ToDto(subscription, consumed.GetValueOrDefault(id));
    }

    public async Task<Outcome<IReadOnlyList<SubscriptionEventDto>>> HistoryAsync(Guid customerId, Guid id, CancellationToken ct)
    {
        if (!await db.O365Subscriptions.AnyAsync(s => s.Id == id && s.OrganizationId == customerId, ct)) return Failure.NotFound("The subscription");
        var events = await db.SubscriptionEvents.AsNoTracking().Where(e => e.SubscriptionId == id).ToListAsync(ct);
        return events.OrderBy(e => e.At).Select(e => new SubscriptionEventDto(
            e.At, char.ToLowerInvariant(e.Kind.ToString()[0]) + e.Kind.ToString()[1..], e.QuantityBefore, e.QuantityAfter, e.AutoRenew,
            e.UnitPrice, e.PriceSource, e.Currency, e.Actor, e.Side == ChangeSide.Skyport ? "skyport" : "partnerCenter")).ToList();
    }

    /// <summary>The add-ons that fit a base subscription, priced for the customer.</summary>
    public async Task<Outcome<IReadOnlyList<CustomerOfferDto>>> EligibleAddOnsAsync(Guid customerId, Guid baseId, CatalogQueries catalog, CancellationToken ct)
    {
        var parent = await db.O365Subscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == baseId && s.OrganizationId == customerId, ct);
        if (parent is null) return Failure.NotFound("The subscription");
        var offers = await catalog.ForCustomerAsync(customerId, ct);
        if (!offers.Succeeded) return offers.Failure!;
        return offers.Value!.Where(o => o.IsAddOn && o.BaseOfferIds.Contains(parent.OfferId, StringComparer.OrdinalIgnoreCase)).ToList();
    }

    public async Task<Outcome<SubscriptionDto>> ChangeAsync(Guid customerId, Guid id, ChangeSubscriptionRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Quantity is null && request.Status is null && request.AutoRenew is null && request.FriendlyName is null)
            errors["quantity"] = ["Say what to change: quantity, status, autoRenew or friendlyName."];
        if (request.Quantity is < 1 or > SubscriptionMath.MaxQuantity) errors["quantity"] = [$"The quantity must be between 1 and {SubscriptionMath.MaxQuantity:N0}."];
        var status = request.Status?.Trim().ToLowerInvariant();
        if (status is not (null or "active" or "suspended")) errors["status"] = ["The status must be active or suspended."];
        var friendlyName = request.FriendlyName?.Trim();
        if (friendlyName?.Length > SubscriptionMath.MaxFriendlyName) errors["friendlyName"] = [$"The friendly name has at most {SubscriptionMath.MaxFriendlyName} characters."];
        if (errors.Count > 0) return Failure.Invalid(errors);

        var subscription = await db.O365Subscriptions.SingleOrDefaultAsync(s => s.Id == id && s.OrganizationId == customerId, ct);
        if (subscription is null) return Failure.NotFound("The subscription");
        if (await ActiveServiceAsync(customerId, ct) is not { } tenantId)
            return Failure.RuleRefused("This customer has no active O365 CSP Direct service.");
        if (subscription.Status == SubscriptionStatus.Pending)
            return Failure.RuleRefused(SubscriptionRules.BeingProcessed);

        var abandoned = false;
        if (subscription.ChangeStartedAt is not null)
        {
            if (subscription.ChangeOwnerInstanceId is { } owner && await InstanceLiveness.IsAliveAsync(db, owner, ct))
                return Busy();
            abandoned = true; // its instance is gone (a crash): Partner Center may have the change it was making
        }
        subscription.ChangeStartedAt = clock.GetUtcNow();
        subscription.ChangeOwnerInstanceId = instance.Id;
        subscription.Version++;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Busy();
        }
        if (abandoned)
        {
            await ResyncAsync(subscription, tenantId);
        }

        try
        {
            return await ApplyAsync(subscription, tenantId, request.Quantity, status, request.AutoRenew, friendlyName, ct);
        }
        catch (Exception exception) when (PartnerCenterFailures.IsUnanswered(exception) && !ct.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Partner Center did not answer a change of subscription {Id}", id);
            await ResyncAsync(subscription, tenantId);
            return Failure.UpstreamFailed("Partner Center did not answer. Skyport shows what Partner Center has; try again.");
        }
        finally
        {
            subscription.ChangeStartedAt = null;
            subscription.ChangeOwnerInstanceId = null;
            subscription.Version++;
            await db.SaveChangesAsync(CancellationToken.None);
        }
    }

    private static Failure Busy() =>
        Failure.Conflict("Another change of this subscription is in progress. Reload it and try again.");

    private async Task<Outcome<SubscriptionDto>> ApplyAsync(O365Subscription s, Guid tenantId, int? quantity, string? status, bool? autoRenew, string? friendlyName, CancellationToken ct)
    {
        // Partner Center takes a status and a quantity in separate requests: activate first, suspend last.
        if (status == "active" && s.Status != SubscriptionStatus.Active)
        {
            if (Refused(SubscriptionRules.CanActivate(s.Status)) is { } refused) return refused;
            if (await SendAsync(s, tenantId, new SubscriptionChange(Status: "active"), SubscriptionEventKind.Activate, ct) is { } failed) return failed;
        }
        if (quantity is { } q && q != s.Quantity)
        {
            var consumed = (await ConsumedAsync(s.OrganizationId, [s], ct, throwOnFailure: true)).GetValueOrDefault(s.Id);
            var events = await db.SubscriptionEvents.AsNoTracking().Where(e => e.SubscriptionId == s.Id)
                .Select(e => new { e.At, e.Kind, e.QuantityBefore, e.QuantityAfter }).ToListAsync(ct);
            var batches = SubscriptionMath.Batches(events.Select(e => (e.At, e.Kind, e.QuantityBefore, e.QuantityAfter)), s.TermStart(Today));
            var decision = SubscriptionRules.CanChangeQuantity(s.Status, batches, clock.GetUtcNow(), q, consumed);
            if (!decision.IsAllowed)
            {
                var extensions = new Dictionary<string, object?>();
                if (decision.WindowClosedAt is { } closed) extensions["windowClosedAt"] = closed;
                if (q < consumed) extensions["licensesToUnassign"] = consumed - q;
                await audit.RecordAsync(s.OrganizationId, "Change quantity", "refused", decision.Reason, ct);
                return Failure.RuleRefused(decision.Reason!) with { Extensions = extensions };
            }
            if (await SendAsync(s, tenantId, new SubscriptionChange(Quantity: q), SubscriptionEventKind.ChangeQuantity, ct) is { } failed) return failed;
        }
        if (autoRenew is { } renew && renew != s.AutoRenew)
        {
            if (Refused(SubscriptionRules.CanSetAutoRenew(s.Status, renew)) is { } refused) return refused;
            if (await SendAsync(s, tenantId, new SubscriptionChange(AutoRenewEnabled: renew), SubscriptionEventKind.SetAutoRenew, ct) is { } failed) return failed;
        }
        if (friendlyName is not null && friendlyName != (s.FriendlyName ?? ""))
        {
            if (await SendAsync(s, tenantId, new SubscriptionChange(FriendlyName: friendlyName), null, ct) is { } failed) return failed;
        }
        if (status == "suspended" && s.Status != SubscriptionStatus.Suspended)
        {
            if (Refused(SubscriptionRules.CanSuspend(s.Status)) is { } refused) return refused;
            if (await SendAsync(s, tenantId, new SubscriptionChange(Status: "suspended"), SubscriptionEventKind.Suspend, ct) is { } failed) return failed;
        }
        return await ToDtoAsync(s, ct);
    }

    private static Failure? Refused(RuleDecision decision) => decision.IsAllowed ? null : Failure.RuleRefused(decision.Reason!);

    /// <summary>Sends one change to Partner Center and stores what Partner Center answered, with its event.</summary>
    private async Task<Failure?> SendAsync(O365Subscription s, Guid tenantId, SubscriptionChange change, SubscriptionEventKind? kind, CancellationToken ct)
    {
        var result = await partnerCenter.UpdateSubscriptionAsync(tenantId, s.Id, change, ct);
        if (!result.IsSuccess)
        {
            await audit.RecordAsync(s.OrganizationId, "Change subscription", "refused by Partner Center", result.Error!.Description, ct);
            return result.Error!.HttpStatus == 404
                ? Failure.NotFound("The subscription")
                : Failure.RuleRefused($"Partner Center refused the change: {result.Error.Description}");
        }
        var before = s.Quantity;
        var pc = result.Value!;
        s.Quantity = pc.Quantity;
        s.Status = SubscriptionMath.StatusFromPartnerCenter(pc.Status);
        s.AutoRenew = pc.AutoRenewEnabled;
        s.FriendlyName = string.IsNullOrEmpty(pc.FriendlyName) ? s.FriendlyName : pc.FriendlyName;
        if (change.FriendlyName is not null) s.FriendlyName = change.FriendlyName.Length == 0 ? null : change.FriendlyName;
        var now = clock.GetUtcNow();
        if (kind is { } k)
        {
            db.SubscriptionEvents.Add(Event(s, k, now, before, s.Quantity, k == SubscriptionEventKind.SetAutoRenew ? s.AutoRenew : null, ChangeSide.Skyport));
        }
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(s.OrganizationId, kind switch
        {
            SubscriptionEventKind.ChangeQuantity => "Change quantity",
            SubscriptionEventKind.Suspend => "Suspend subscription",
            SubscriptionEventKind.Activate => "Activate subscription",
            SubscriptionEventKind.SetAutoRenew => "Set auto-renew",
            _ => "Rename subscription",
        }, "succeeded", kind == SubscriptionEventKind.ChangeQuantity ? $"{s.Name}: {before} → {s.Quantity}" : s.Name, ct);
        return null;
    }

    /// <summary>After an unanswered request, reads the subscription back so that Skyport shows what Partner Center has.</summary>
    private async Task ResyncAsync(O365Subscription s, Guid tenantId)
    {
        try
        {
            var read = await partnerCenter.GetSubscriptionAsync(tenantId, s.Id, CancellationToken.None);
            if (read.IsSuccess)
            {
                SubscriptionReconciler.ApplyRemote(db, s, read.Value!, clock.GetUtcNow(), ChangeSide.Skyport, Actor);
                await db.SaveChangesAsync(CancellationToken.None);
            }
        }
        catch (Exception exception) when (PartnerCenterFailures.IsUnanswered(exception))
        {
            logger.LogWarning(exception, "Subscription {Id} could not be read back; the scheduled reconcile will catch up", s.Id);
        }
    }

    private string Actor => caller.IsSignedIn ? caller.DisplayName : "system";

    private SubscriptionEventRecord Event(O365Subscription s, SubscriptionEventKind kind, DateTimeOffset at, int before, int after, bool? autoRenew, ChangeSide side) =>
        SubscriptionEventRecord.For(s, kind, at, before, after, autoRenew, side, Actor, clock.GetUtcNow());

    private async Task<Guid?> ActiveServiceAsync(Guid customerId, CancellationToken ct) =>
        await db.O365Services.AsNoTracking()
            .Where(s => s.OrganizationId == customerId && s.Status == O365Status.Active && s.TenantId != null)
            .Select(s => s.TenantId).SingleOrDefaultAsync(ct);

    private async Task<SubscriptionDto> ToDtoAsync(O365Subscription s, CancellationToken ct)
    {
        var consumed = await ConsumedAsync(s.OrganizationId, [s], ct);
        return ToDto(s, consumed.GetValueOrDefault(s.Id));
    }

    private SubscriptionDto ToDto(O365Subscription s, int consumed) => new(
        s.Id, s.OfferId, s.Name, s.FriendlyName, s.PurchaseOrderNumber, s.Quantity, consumed, s.UnitPrice, s.MonthlyCost(s.Quantity),
        s.Currency, s.PriceSource, SubscriptionMath.Text(s.Status), s.AutoRenew, s.TermDuration, s.BillingFrequency,
        s.StartDate, s.RenewalDate(Today), s.ParentSubscriptionId);

    /// <summary>
    /// Licenses assigned to users, per subscription, from Partner Center's subscribed SKUs: a SKU's consumed units are
    /// shared out over its subscriptions, oldest first. 0 while Partner Center cannot tell (unless <paramref name="throwOnFailure"/>).
    /// </summary>
    private async Task<Dictionary<Guid, int>> ConsumedAsync(Guid customerId, IReadOnlyList<O365Subscription> subscriptions, CancellationToken ct, bool throwOnFailure = false)
    {
        var result = new Dictionary<Guid, int>();
        if (subscriptions.Count == 0 || await ActiveServiceAsync(customerId, ct) is not { } tenantId) return result;
        PartnerCenterResult<IReadOnlyList<SubscribedSku>> skus;
        try
        {
            skus = await partnerCenter.GetSubscribedSkusAsync(tenantId, ct);
        }
        catch (Exception exception) when (PartnerCenterFailures.IsUnanswered(exception) && !throwOnFailure)
        {
            logger.LogInformation(exception, "Consumed licenses of customer {Customer} are unknown for now", customerId);
            return result;
        }
        if (!skus.IsSuccess) return result;
        var offerIds = subscriptions.Select(s => s.OfferId).Distinct().ToList();
        var licenseSkus = await db.CatalogOffers.AsNoTracking().Where(o => offerIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.LicenseSkuId, ct);
        var all = await db.O365Subscriptions.AsNoTracking().Where(s => s.OrganizationId == customerId && offerIds.Contains(s.OfferId)).ToListAsync(ct);
        foreach (var group in all.Where(s => s.Status is SubscriptionStatus.Active or SubscriptionStatus.Suspended).GroupBy(s => s.OfferId))
        {
            var skuId = licenseSkus.GetValueOrDefault(group.Key);
            var left = skus.Value!.Where(k => k.ProductSku.Id == skuId).Sum(k => k.ConsumedUnits);
            foreach (var s in group.OrderBy(s => s.CreatedAt))
            {
                var share = Math.Min(left, s.Quantity);
                result[s.Id] = share;
                left -= share;
            }
        }
        return result;
    }


    private static OfferTerm? ChooseTerm(CatalogOffer offer, string? termDuration, string? billingFrequency)
    {
        var terms = offer.TermList;
        var term = termDuration?.Trim().ToUpperInvariant();
        var frequency = billingFrequency?.Trim().ToLowerInvariant();
        if (term is null && frequency is null)
        {
            return terms.FirstOrDefault(t => t is { TermDuration: "P1M", BillingFrequency: "monthly" }) ?? terms.FirstOrDefault();
        }
        return terms.FirstOrDefault(t => (term is null || t.TermDuration == term) && (frequency is null || t.BillingFrequency == frequency));
    }
}
