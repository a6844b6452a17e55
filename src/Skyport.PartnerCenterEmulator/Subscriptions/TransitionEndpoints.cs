using Microsoft.EntityFrameworkCore;
using Skyport.PartnerCenterEmulator.Billing;
using Skyport.PartnerCenterEmulator.Catalog;
using Skyport.PartnerCenterEmulator.Core;
using Skyport.PartnerCenterEmulator.Customers;
using Skyport.PartnerCenterEmulator.Users;
using Skyport.PartnerCenterEmulator.Webhooks;

namespace Skyport.PartnerCenterEmulator.Subscriptions;

/// <summary>
/// Upgrades of new-commerce subscriptions (transition-a-new-commerce-subscription, get-transitions): eligibilities,
/// the transition itself (into a new co-termed subscription or an existing one) and each subscription's history.
/// </summary>
public static class TransitionEndpoints
{
    public const string TransitionOnly = "transition_only";
    public const string WithLicenseTransfer = "transition_with_license_transfer";

    public static void Map(RouteGroupBuilder subscriptions)
    {
        subscriptions.MapGet("/{subscriptionId}/transitionEligibilities", EligibilitiesAsync);
        subscriptions.MapPost("/{subscriptionId}/transitions", TransitionAsync);
        subscriptions.MapGet("/{subscriptionId}/transitions", async (string customerId, string subscriptionId, EmulatorDb db) =>
        {
            if (await CustomerEndpoints.FindAsync(db, customerId) is not { } tenant) return CustomerEndpoints.NotFound(customerId);
            if (await FindAsync(db, tenant.Id, subscriptionId) is not { } s) return SubscriptionEndpoints.NotFound(subscriptionId);
            return Pc.Ok(Pc.Collection(s.Transitions.OrderBy(t => t.At).Select(Json).ToList(), $"/customers/{tenant.Id}/subscriptions/{s.Id}/transitions"));
        });
    }

    private static async Task<Subscription?> FindAsync(EmulatorDb db, Guid tenantId, string id) =>
        Guid.TryParse(id, out var sid) ? await db.Subscriptions.FirstOrDefaultAsync(s => s.Id == sid && s.TenantId == tenantId) : null;

    private static async Task<IResult> EligibilitiesAsync(string customerId, string subscriptionId, HttpContext http, EmulatorDb db, EmulatorClock clock)
    {
        if (await CustomerEndpoints.FindAsync(db, customerId) is not { } tenant) return CustomerEndpoints.NotFound(customerId);
        if (await FindAsync(db, tenant.Id, subscriptionId) is not { } s) return SubscriptionEndpoints.NotFound(subscriptionId);
        var type = http.Request.Query["eligibilityType"].ToString();
        if (type.Length == 0) type = "immediate";
        if (!type.Equals("immediate", StringComparison.OrdinalIgnoreCase) && !type.Equals("scheduled", StringComparison.OrdinalIgnoreCase))
        {
            return Errors.PcInvalid("Invalid property: eligibilityType must be immediate or scheduled.", "eligibilityType");
        }
        var immediate = type.Equals("immediate", StringComparison.OrdinalIgnoreCase);
        var now = clock.UtcNow;
        var sourceErrors = SourceErrors(s);
        var others = await db.Subscriptions.Where(o => o.TenantId == tenant.Id && o.Id != s.Id).OrderBy(o => o.Seq).ToListAsync();
        var items = UpgradePaths.From(CatalogData.Sku(s.ProductId, s.SkuId)!).Select(target => (object)new
        {
            operationId = Guid.NewGuid(),
            catalogItemId = target.CatalogItemId,
            title = target.Title,
            description = target.Description,
            quantity = s.Quantity,
            // "You can only transition into an existing subscription with an immediate … transition, not a scheduled change."
            subscriptionEligibilities = immediate
                ? others.Where(o => o.ProductId == target.ProductId && o.SkuId == target.SkuId).Select(o =>
                {
                    var errors = TargetErrors(s, o, now);
                    return new
                    {
                        isEligible = errors.Count == 0,
                        subscriptionId = o.Id,
                        subscriptionFriendlyName = o.FriendlyName,
                        subscriptionTermDuration = o.TermDuration,
                        subscriptionBillingCycle = o.BillingCycle,
                        errors = errors.Select(e => new { code = e.Code, description = e.Description }).ToArray(),
                    };
                }).ToArray()
                : [],
            eligibilities = new[] { TransitionOnly, WithLicenseTransfer }.Select(t => new
            {
                isEligible = sourceErrors.Count == 0,
                transitionType = t,
                errors = sourceErrors.Select(e => new { code = e.Code, description = e.Description }).ToArray(),
            }).ToArray(),
            attributes = Pc.Attributes("TransitionEligibility"),
        }).ToList();
        return Pc.Ok(Pc.Collection(items, $"/customers/{tenant.Id}/subscriptions/{s.Id}/transitionEligibilities"));
    }

    private sealed record EligibilityError(int Code, string Description);

    private static List<EligibilityError> SourceErrors(Subscription s) => s.Status switch
    {
        SubscriptionStatuses.Pending => [new(2, "Subscription can't be Transitioned - source subscription isn't provisioned yet.")],
        SubscriptionStatuses.Active when s.ExtendedSince is null => [],
        _ => [new(1, "Subscription can't be Transitioned - source subscription isn't active.")],
    };

    /// <summary>Why an existing subscription cannot take the seats (the page's "Subscription eligibility errors").</summary>
    private static List<EligibilityError> TargetErrors(Subscription source, Subscription target, DateTime now)
    {
        var errors = new List<EligibilityError>();
        if (target.Status != SubscriptionStatuses.Active || target.ExtendedSince is not null) errors.Add(new(1, "Subscription is not active."));
        if (now <= target.CancellationAllowedUntil) errors.Add(new(2, "Subscription is within cancellation window."));
        if (Terms.Months(target.TermDuration) < Terms.Months(source.TermDuration))
        {
            errors.Add(new(3, "The subscription's term duration is shorter than the source subscription's term duration."));
        }
        if (target.CommitmentEndDate < source.CommitmentEndDate) errors.Add(new(4, "Subscription term end date is before the source subscription's term end date."));
        return errors;
    }

    private static async Task<IResult> TransitionAsync(
        string customerId, string subscriptionId, HttpContext http, EmulatorDb db, EmulatorClock clock, WebhookDispatcher webhooks)
    {
        if (await CustomerEndpoints.FindAsync(db, customerId) is not { } tenant) return CustomerEndpoints.NotFound(customerId);
        if (await FindAsync(db, tenant.Id, subscriptionId) is not { } source) return SubscriptionEndpoints.NotFound(subscriptionId);
        var (body, error) = await Pc.BodyAsync(http);
        if (error is not null) return error;
        var toCatalogItemId = body!.String("toCatalogItemId", required: true);
        var quantity = body.Int("quantity", required: true);
        var transitionType = body.String("transitionType", required: true);
        var fromCatalogItemId = body.String("fromCatalogItemId");
        var fromSubscriptionId = body.String("fromSubscriptionId");
        var toSubscriptionId = body.String("toSubscriptionId");
        var termDuration = body.String("termDuration");
        var billingCycle = body.String("billingCycle");
        if (Pc.Invalid(body) is { } invalid) return invalid;

        if (source.PendingChange is not null) return Errors.Pc(409, 900278, "There is a pending operation on this subscription. Please try again after 24 hours.");
        if (transitionType is not (TransitionOnly or WithLicenseTransfer))
        {
            return Errors.PcInvalid($"Invalid property: transitionType must be {TransitionOnly} or {WithLicenseTransfer}.", "transitionType");
        }
        var sourceItem = CatalogData.Sku(source.ProductId, source.SkuId)!;
        if (fromSubscriptionId is not null && !fromSubscriptionId.Equals(source.Id.ToString(), StringComparison.OrdinalIgnoreCase))
        {
            return Errors.PcInvalid("Invalid property: fromSubscriptionId is not the subscription of the request URI.", "fromSubscriptionId");
        }
        if (fromCatalogItemId is not null && !fromCatalogItemId.Equals(sourceItem.CatalogItemId, StringComparison.OrdinalIgnoreCase))
        {
            return Errors.PcInvalid("Invalid property: fromCatalogItemId is not the source subscription's offer.", "fromCatalogItemId");
        }
        if (SourceErrors(source) is [var sourceError, ..]) return Errors.Pc(400, 3000, sourceError.Description, "fromSubscriptionId");
        if (CatalogData.ByCatalogItemId(toCatalogItemId!) is not { } targetItem) return Errors.Pc(400, 800004, "Invalid offer Id", toCatalogItemId!);
        if (!UpgradePaths.Allows(sourceItem, targetItem))
        {
            return Errors.PcInvalid($"Invalid property: {targetItem.Title} is not a transition eligibility of {sourceItem.Title}.", "toCatalogItemId");
        }
        if (quantity < 1 || quantity > source.Quantity)
        {
            return Errors.Pc(400, 2002, "Subscription quantity is not within minimum and maximum allowed quantity",
                $"quantity: 1 to {source.Quantity} seats can be transitioned.");
        }
        if ((termDuration is not null && !termDuration.Equals(source.TermDuration, StringComparison.OrdinalIgnoreCase))
            || (billingCycle is not null && !billingCycle.Equals(source.BillingCycle, StringComparison.OrdinalIgnoreCase)))
        {
            return Errors.PcInvalid("Invalid property: the target keeps the source subscription's term duration and billing cycle.", "termDuration", "billingCycle");
        }
        var now = clock.UtcNow;
        Subscription? target = null;
        if (toSubscriptionId is not null)
        {
            target = await FindAsync(db, tenant.Id, toSubscriptionId);
            if (target is null || target.ProductId != targetItem.ProductId || target.SkuId != targetItem.SkuId)
            {
                return Errors.PcInvalid("Invalid property: toSubscriptionId is not a subscription of the customer to the target offer.", "toSubscriptionId");
            }
            if (TargetErrors(source, target, now) is [var targetError, ..]) return Errors.Pc(400, 3000, targetError.Description, "toSubscriptionId");
            if (target.Quantity + quantity > targetItem.MaximumQuantity)
            {
                return Errors.Pc(403, 800067, "The desired seat count exceeded the maximum seat count allowed per subscription",
                    $"The requested number of {target.Quantity + quantity} seats exceeds the remaining limit of {targetItem.MaximumQuantity} seats allowed per subscription for the CatalogItemId - {targetItem.CatalogItemId}");
            }
        }

        var n = quantity!.Value;
        var (kept, moved) = SeatWindow.Take(source.SeatAdditions, n);
        db.Charges.AddRange(Charges.QuantityChange(source, source.Quantity, source.Quantity - n, now, "convert"));
        source.Quantity -= n;
        source.SeatAdditions = kept;
        source.ScheduledNextTerm = null;
        source.Etag++;
        if (target is null)
        {
            target = new Subscription
            {
                Id = Guid.NewGuid(),
                TenantId = tenant.Id,
                Seq = await db.NextSequenceAsync("subscription"),
                OrderId = source.OrderId,
                ProductId = targetItem.ProductId,
                SkuId = targetItem.SkuId,
                AvailabilityId = targetItem.AvailabilityId,
                OfferName = targetItem.Title,
                FriendlyName = targetItem.Title,
                Quantity = 0,
                AutoRenewEnabled = source.AutoRenewEnabled,
                CancelAtTermEnd = source.CancelAtTermEnd,
                BillingCycle = source.BillingCycle,
                TermDuration = source.TermDuration,
                Currency = source.Currency,
                CreationDate = now,
                TermAnchor = source.TermAnchor,
                TermIndex = source.TermIndex,
                TermStartDate = source.TermStartDate,
                CommitmentEndDate = source.CommitmentEndDate,
                NextBillingDate = source.NextBillingDate,
                // new-commerce-cancellation-policy: "Subscriptions created as a result of a partial upgrade inherit the
                // cancellation window from the parent (source subscription)."
                CancellationAllowedUntil = source.CancellationAllowedUntil,
                Etag = 1,
            };
            db.Subscriptions.Add(target);
        }
        db.Charges.AddRange(Charges.QuantityChange(target, target.Quantity, target.Quantity + n, now, "convert"));
        target.Quantity += n;
        target.SeatAdditions = [.. target.SeatAdditions, .. moved];
        target.ScheduledNextTerm = null;
        target.Etag++;
        if (source.Quantity == 0)
        {
            source.Status = SubscriptionStatuses.Deleted;
            source.EndedAt = now;
            source.AutoRenewEnabled = false;
        }
        if (transitionType == WithLicenseTransfer) await MoveLicensesAsync(db, tenant.Id, sourceItem.GraphSkuId, targetItem.GraphSkuId, n);

        var record = new TransitionRecord(Guid.NewGuid(), sourceItem.CatalogItemId, source.Id, targetItem.CatalogItemId, target.Id, n,
            source.TermDuration, source.BillingCycle, transitionType, now);
        source.Transitions = [.. source.Transitions, record];
        target.Transitions = [.. target.Transitions, record];
        await db.SaveChangesAsync();
        foreach (var s in new[] { source, target })
        {
            webhooks.Raise("subscription-updated", "subscription", $"/webhooks/v1/customers/{tenant.Id}/subscriptions/{s.Id}", now);
        }
        return Pc.Ok(Json(record));
    }

    /// <summary>Moves the source SKU's license of up to <paramref name="count"/> users to the target SKU.</summary>
    private static async Task MoveLicensesAsync(EmulatorDb db, Guid tenantId, Guid fromSku, Guid toSku, int count)
    {
        var users = (await db.Users.Where(u => u.TenantId == tenantId && u.State == UserStates.Active).OrderBy(u => u.Seq).ToListAsync())
            .Where(u => u.Licenses.Any(l => l.SkuId == fromSku)).Take(count).ToList();
        foreach (var user in users)
        {
            var licenses = user.Licenses.Where(l => l.SkuId != fromSku).ToList();
            if (licenses.All(l => l.SkuId != toSku)) licenses.Add(new AssignedLicense(toSku, []));
            user.Licenses = licenses;
            await TenantDirectory.TouchAsync(db, user);
        }
    }

    public static object Json(TransitionRecord t) => new
    {
        id = t.Id,
        fromCatalogItemId = t.FromCatalogItemId,
        fromSubscriptionId = t.FromSubscriptionId,
        toCatalogItemId = t.ToCatalogItemId,
        toSubscriptionId = t.ToSubscriptionId,
        quantity = t.Quantity,
        termDuration = t.TermDuration,
        billingCycle = t.BillingCycle,
        transitionType = t.TransitionType,
        events = new[]
        {
            new { name = "Conversion", status = "Completed", timestamp = Pc.Date(t.At), attributes = Pc.Attributes("TransitionEvent") },
        },
        attributes = Pc.Attributes("Transition"),
    };
}
