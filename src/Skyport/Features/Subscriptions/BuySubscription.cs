using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Audit;
using Skyport.Features.Billing.Preview;
using Skyport.Features.Billing.Rating;
using Skyport.Features.Catalog;
using Skyport.Features.Organizations;
using Skyport.PartnerCenter;
using Skyport.Web;

namespace Skyport.Features.Subscriptions;

/// <summary>
/// Buys a subscription, or an add-on for a base subscription, in Partner Center (a cart, then its checkout) and stores it
/// once Partner Center has it, with the purchase event billing rates. The purchase is recorded first as a
/// <see cref="PurchaseIntent"/> (ADR 5), so a retry under the same Idempotency-Key continues it and never buys twice.
/// </summary>
public sealed class BuySubscription(
    SkyportDbContext db,
    PartnerCenterClient partnerCenter,
    PriceListService prices,
    Caller caller,
    AuditLog audit,
    TimeProvider clock,
    SubscriptionSyncQueue sync,
    ThisInstance instance,
    ConsumedLicenses consumed,
    SubscriptionReadBack readBack,
    TermEndAlignment alignment,
    ILogger<BuySubscription> logger)
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

    private async Task<Outcome<SubscriptionDto>> PurchaseAsync(Guid customerId, BuySubscriptionRequest asked, O365Subscription? parent, string? operationKey, CancellationToken ct)
    {
        var checkedRequest = BuySubscriptionRules.Check(asked);
        if (!checkedRequest.Succeeded) return checkedRequest.Failure!;
        var request = checkedRequest.Value!;

        if (await ActiveTenant.OfAsync(db, customerId, ct) is not { } tenantId)
        {
            return await db.Organizations.AnyAsync(o => o.Id == customerId && o.Kind == OrganizationKind.Customer, ct)
                ? Failure.RuleRefused("This customer has no active O365 CSP Direct service: add the service from the E-store first.")
                : Failure.NotFound("The customer");
        }
        var offer = await db.CatalogOffers.AsNoTracking().SingleOrDefaultAsync(o => o.Id == request.OfferId!.Trim(), ct);
        var parentOffer = offer is null || parent is null ? null : await db.CatalogOffers.AsNoTracking().SingleOrDefaultAsync(o => o.Id == parent.OfferId, ct);
        if (BuySubscriptionRules.CheckOffer(request.OfferId, offer, request.Quantity!.Value, parent, parentOffer) is { } refused)
        {
            return refused;
        }
        var term = BuySubscriptionRules.ChooseTerm(offer!, request.TermDuration, request.BillingFrequency);
        if (term is null)
        {
            return Failure.Invalid("termDuration", $"{offer!.Name} is not sold with {request.TermDuration ?? "that term"} billed {request.BillingFrequency ?? "that way"}.");
        }
        var lookup = await prices.LookupForAsync(customerId, ct);
        var quote = lookup.InForceOn(CatalogQueries.Key(offer!.Id, term), Today);
        if (quote is null)
        {
            return Failure.RuleRefused($"{offer.Name} ({term.TermDuration}, billed {term.BillingFrequency}) has no price for this customer, so it cannot be bought. Ask the broker to add it to the global or the customer's price list.");
        }

        var customTermEnd = TermEndAlignmentRules.Parse(request.CustomTermEndDate).Value;
        var intent = operationKey is null ? null : await db.PurchaseIntents.SingleOrDefaultAsync(p => p.OperationKey == operationKey, ct);
        if (intent is null)
        {
            if (customTermEnd is { } end && await CheckTermEndAsync(customerId, tenantId, term.TermDuration, end, offer.Name, ct) is { } misaligned)
            {
                return misaligned;
            }
            intent = new PurchaseIntent
            {
                OperationKey = operationKey,
                OrganizationId = customerId,
                TenantId = tenantId,
                OfferId = offer.Id,
                Quantity = request.Quantity!.Value,
                TermDuration = term.TermDuration,
                BillingFrequency = term.BillingFrequency,
                FriendlyName = request.FriendlyName,
                PurchaseOrderNumber = request.PurchaseOrderNumber,
                ParentSubscriptionId = parent?.Id,
                CustomTermEndDate = customTermEnd,
                UnitPrice = quote.UnitPrice,
                PriceSource = quote.Source.WireName(),
                Currency = prices.Currency,
                Buyer = SubscriptionActor.Of(caller),
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
        else if (!BuySubscriptionRules.IsSamePurchase(intent, customerId, offer.Id, request.Quantity, parent?.Id, customTermEnd))
        {
            return Failure.RuleRefused("This Idempotency-Key was already used for a different purchase. Use a new key for a new purchase.");
        }
        else if (!await ClaimAsync(intent, ct))
        {
            return Failure.Conflict("This purchase is in progress. Try again shortly.");
        }
        return await ContinueAsync(intent, offer, parent, ct);
    }

    /// <summary>A custom term end (R13) the purchase may have: refused before anything is recorded or bought.</summary>
    private async Task<Failure?> CheckTermEndAsync(Guid customerId, Guid tenantId, string termDuration, DateOnly end, string offerName, CancellationToken ct)
    {
        var refused = await alignment.CheckAsync(customerId, tenantId, termDuration, end, ct);
        if (refused is { Kind: FailureKind.Invalid })
        {
            await audit.RecordAsync(customerId, "Buy subscription", "refused", $"{offerName}: {refused.Errors!.Values.SelectMany(m => m).First()}", ct);
        }
        return refused;
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
                await readBack.ResyncAsync(done, intent.TenantId); // the retry of a purchase answered "being processed" reads it again
            }
            return SubscriptionDto.Of(done, await consumed.OfAsync(done, ct), Today);
        }
        var line = new CartLine(intent.OfferId, intent.Quantity, intent.TermDuration, intent.BillingFrequency, intent.FriendlyName, intent.ParentSubscriptionId, intent.CustomTermEndDate);
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
        return BuySubscriptionRules.EarlierOrder(orders.Value!, intent.CreatedAt, line, known, claimed);
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
        var status = BuySubscriptionRules.StatusOfOrder(orderStatus);
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
                CustomTermEndDate = intent.CustomTermEndDate,
                UnitPrice = intent.UnitPrice,
                PriceSource = intent.PriceSource,
                Currency = intent.Currency,
                ParentSubscriptionId = intent.ParentSubscriptionId,
                CreatedAt = now,
            };
            db.O365Subscriptions.Add(subscription);
            if (status != SubscriptionStatus.Pending)
            {
                db.SubscriptionEvents.Add(SubscriptionEventRecord.For(subscription, SubscriptionEventKind.Purchase, now, 0, subscription.Quantity, true, ChangeSide.Skyport, SubscriptionActor.Of(caller), clock.GetUtcNow()));
            }
        }
        else
        {
            // A reconcile adopted it from Partner Center first (with its purchase event): add what only this purchase knows.
            subscription.FriendlyName = intent.FriendlyName;
            subscription.PurchaseOrderNumber = intent.PurchaseOrderNumber;
            subscription.UnitPrice = intent.UnitPrice;
            subscription.PriceSource = intent.PriceSource;
            if (intent.CustomTermEndDate is { } customEnd && subscription.CustomTermEndDate is null)
            {
                subscription.CustomTermEndDate = customEnd;
                await db.SubscriptionEvents.Where(e => e.SubscriptionId == id && e.Kind == SubscriptionEventKind.Purchase)
                    .ForEachAsync(e => e.CustomTermEndDate = customEnd, ct);
            }
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
        return SubscriptionDto.Of(subscription, await consumed.OfAsync(subscription, ct), Today);
    }}
