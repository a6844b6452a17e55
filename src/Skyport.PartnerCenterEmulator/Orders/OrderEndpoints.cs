using Microsoft.EntityFrameworkCore;
using Skyport.PartnerCenterEmulator.Billing;
using Skyport.PartnerCenterEmulator.Catalog;
using Skyport.PartnerCenterEmulator.Control;
using Skyport.PartnerCenterEmulator.Core;
using Skyport.PartnerCenterEmulator.Customers;
using Skyport.PartnerCenterEmulator.Subscriptions;

namespace Skyport.PartnerCenterEmulator.Orders;

/// <summary>Carts, their checkout into orders and subscriptions, and the orders list.</summary>
public static class OrderEndpoints
{
    public static void Map(IEndpointRouteBuilder v1)
    {
        var carts = v1.MapGroup("/customers/{customerId}/carts");
        carts.MapPost("", async (string customerId, HttpContext http, EmulatorDb db, EmulatorClock clock) =>
        {
            if (await CustomerEndpoints.FindAsync(db, customerId) is not { } tenant) return CustomerEndpoints.NotFound(customerId);
            var (lines, error) = await ReadLinesAsync(http);
            if (error is not null) return error;
            var cart = new Cart { Id = Guid.NewGuid(), TenantId = tenant.Id, CreatedAt = clock.UtcNow, LastModifiedAt = clock.UtcNow, LineItems = lines! };
            db.Carts.Add(cart);
            await db.SaveChangesAsync();
            return Pc.Ok(CartJson(cart, tenant), 201);
        });
        carts.MapGet("/{cartId}", async (string customerId, string cartId, EmulatorDb db) =>
        {
            if (await CustomerEndpoints.FindAsync(db, customerId) is not { } tenant) return CustomerEndpoints.NotFound(customerId);
            return await FindCartAsync(db, tenant.Id, cartId) is { } cart ? Pc.Ok(CartJson(cart, tenant)) : CartNotFound(cartId);
        });
        carts.MapPut("/{cartId}", async (string customerId, string cartId, HttpContext http, EmulatorDb db, EmulatorClock clock) =>
        {
            if (await CustomerEndpoints.FindAsync(db, customerId) is not { } tenant) return CustomerEndpoints.NotFound(customerId);
            if (await FindCartAsync(db, tenant.Id, cartId) is not { } cart) return CartNotFound(cartId);
            if (cart.Status != "Active") return Errors.Pc(400, 800065, $"Cannot check out an already submitted cart {cart.Id}.");
            var (lines, error) = await ReadLinesAsync(http);
            if (error is not null) return error;
            cart.LineItems = lines!;
            cart.LastModifiedAt = clock.UtcNow;
            await db.SaveChangesAsync();
            return Pc.Ok(CartJson(cart, tenant));
        });
        carts.MapPost("/{cartId}/checkout", CheckoutAsync);

        v1.MapGet("/customers/{customerId}/orders", async (string customerId, EmulatorDb db) =>
        {
            if (await CustomerEndpoints.FindAsync(db, customerId) is not { } tenant) return CustomerEndpoints.NotFound(customerId);
            var orders = await db.Orders.Where(o => o.TenantId == tenant.Id).OrderBy(o => o.Seq).ToListAsync();
            return Pc.Ok(Pc.Collection(orders.Select(o => OrderJson(o)).ToList(), $"/customers/{tenant.Id}/orders"));
        });
        v1.MapGet("/customers/{customerId}/orders/{orderId}", async (string customerId, string orderId, EmulatorDb db) =>
        {
            if (await CustomerEndpoints.FindAsync(db, customerId) is not { } tenant) return CustomerEndpoints.NotFound(customerId);
            var order = await db.Orders.FirstOrDefaultAsync(o => o.Id == orderId && o.TenantId == tenant.Id);
            return order is null ? Errors.Pc(404, 20000, "Order Id not found", orderId) : Pc.Ok(OrderJson(order));
        });
    }

    private static IResult CartNotFound(string cartId) => Errors.Pc(404, 800008, "Unable to retrieve cart Id", cartId);

    private static async Task<Cart?> FindCartAsync(EmulatorDb db, Guid tenantId, string cartId) =>
        Guid.TryParse(cartId, out var id) ? await db.Carts.FirstOrDefaultAsync(c => c.Id == id && c.TenantId == tenantId) : null;

    private static async Task<(List<CartLine>? Lines, IResult? Error)> ReadLinesAsync(HttpContext http)
    {
        var (body, error) = await Pc.BodyAsync(http);
        if (error is not null) return (null, error);
        var items = body!.Objects("lineItems", required: true);
        if (Pc.Invalid(body) is { } invalid) return (null, invalid);
        if (items!.Count == 0) return (null, Errors.PcInvalid("Invalid property: lineItems must hold at least one item.", "lineItems"));
        var lines = new List<CartLine>();
        foreach (var line in items)
        {
            var catalogItemId = line.String("catalogItemId", required: true);
            var quantity = line.Int("quantity", required: true);
            var term = line.String("termDuration", required: true);
            var cycle = line.String("billingCycle", required: true);
            var friendlyName = line.String("friendlyName");
            var customTermEndDate = line.Date("customTermEndDate");
            var context = line.Object("provisioningContext");
            var parent = context?.String("parentSubscriptionId");
            line.Absorb(context, "provisioningContext");
            body.Absorb(line, $"lineItems[{lines.Count}]");
            if (Pc.Invalid(body) is { } lineInvalid) return (null, lineInvalid);
            if (CatalogData.ByCatalogItemId(catalogItemId!) is not { } item) return (null, Errors.Pc(400, 800004, "Invalid offer Id", catalogItemId!));
            if (CatalogData.Term(term!, cycle!) is not { } catalogTerm)
            {
                return (null, Errors.Pc(400, 800009, "Error in Cart item(s)", $"{catalogItemId}: term {term} with billing cycle {cycle} is not offered."));
            }
            if (quantity < 1) return (null, Errors.Pc(400, 2002, "Subscription quantity is not within minimum and maximum allowed quantity", catalogItemId!));
            if (quantity > item.MaximumQuantity)
            {
                return (null, Errors.Pc(403, 800067, "The desired seat count exceeded the maximum seat count allowed per subscription",
                    $"The requested number of {quantity} seats exceeds the remaining limit of {item.MaximumQuantity} seats allowed per subscription for the CatalogItemId - {item.CatalogItemId}"));
            }
            var provisioning = new Dictionary<string, string>();
            if (parent is not null) provisioning["parentSubscriptionId"] = parent;
            lines.Add(new CartLine(lines.Count, item.CatalogItemId, friendlyName, quantity!.Value, catalogTerm.BillingCycle.ToLowerInvariant(), catalogTerm.Duration, provisioning, "0", customTermEndDate));
        }
        return (lines, null);
    }

    private static async Task<IResult> CheckoutAsync(
        string customerId, string cartId, EmulatorDb db, EmulatorClock clock, Webhooks.WebhookDispatcher webhooks, ProcessingSettings processing, DelayedWork delayed)
    {
        if (await CustomerEndpoints.FindAsync(db, customerId) is not { } tenant) return CustomerEndpoints.NotFound(customerId);
        if (await FindCartAsync(db, tenant.Id, cartId) is not { } cart) return CartNotFound(cartId);
        if (cart.Status != "Active")
        {
            // Microsoft: "If a cart was successfully checked out previously and a subsequent checkout call is made to that
            // same cart, the API response will reiterate the information returned after initial checkout."
            if (cart.OrderIds.Count == 0) return Errors.Pc(400, 800065, $"Cannot check out an already submitted cart {cart.Id}.");
            var earlier = await db.Orders.Where(o => cart.OrderIds.Contains(o.Id)).ToListAsync();
            return CheckoutResult(earlier.OrderBy(o => cart.OrderIds.IndexOf(o.Id)));
        }
        // purchase-new-commerce-license-based lists the attested Microsoft Customer Agreement as a prerequisite.
        if (!AgreementEndpoints.HasCustomerAgreement(tenant)) return AgreementEndpoints.AgreementMissing();
        var now = clock.UtcNow;
        var pendingFor = processing.OrderPendingFor;
        var today = DateOnly.FromDateTime(now);
        var currency = CatalogData.CurrencyFor(tenant.BillingProfile?.DefaultAddress.Country);
        var existing = await db.Subscriptions.Where(s => s.TenantId == tenant.Id && s.Status == SubscriptionStatuses.Active).ToListAsync();

        foreach (var line in cart.LineItems.Where(l => l.CustomTermEndDate is not null))
        {
            // custom-term-end-dates: the end of a calendar month, or an active subscription's term end, within the first term.
            if (!CustomTermEndDates.IsAllowed(line.CustomTermEndDate!.Value, line.TermDuration, today, existing))
            {
                return Errors.Pc(400, 800009, "Error in Cart item(s)",
                    $"{line.CatalogItemId}: customTermEndDate {line.CustomTermEndDate:yyyy-MM-dd} aligns with neither a calendar month end nor an active subscription's term end within the first term.");
            }
        }
        // Base products first, so that an add-on in the same cart finds its prerequisite.
        var ordered = cart.LineItems.OrderBy(l => CatalogData.ByCatalogItemId(l.CatalogItemId)!.IsAddOn).ToList();
        var created = new List<(CartLine Line, Subscription Sub)>();
        foreach (var line in ordered)
        {
            var item = CatalogData.ByCatalogItemId(line.CatalogItemId)!;
            Guid? parentId = null;
            if (item.IsAddOn)
            {
                var candidates = existing.Concat(created.Select(c => c.Sub))
                    .Where(s => item.Prerequisites.Contains($"{s.ProductId}:{s.SkuId}", StringComparer.OrdinalIgnoreCase)).ToList();
                if (line.ProvisioningContext.TryGetValue("parentSubscriptionId", out var parentText))
                {
                    candidates = candidates.Where(c => c.Id.ToString().Equals(parentText, StringComparison.OrdinalIgnoreCase)).ToList();
                }
                if (candidates.Count == 0)
                {
                    return Errors.Pc(400, 800009, "Error in Cart item(s)",
                        $"{item.CatalogItemId}: the add-on needs one of its prerequisite products ({string.Join(", ", item.Prerequisites)}) on the customer's tenant.");
                }
                parentId = candidates[0].Id;
            }
            var sub = new Subscription
            {
                Id = Guid.NewGuid(),
                TenantId = tenant.Id,
                Seq = await db.NextSequenceAsync("subscription"),
                ProductId = item.ProductId,
                SkuId = item.SkuId,
                AvailabilityId = item.AvailabilityId,
                OfferName = item.Title,
                FriendlyName = line.FriendlyName ?? item.Title,
                Quantity = line.Quantity,
                BillingCycle = line.BillingCycle,
                TermDuration = line.TermDuration,
                Currency = currency,
                ParentSubscriptionId = parentId,
                CreationDate = now,
                TermAnchor = today,
                TermIndex = 0,
                TermStartDate = today,
                CommitmentEndDate = Terms.TermEnd(today, line.TermDuration, 0),
                NextBillingDate = Terms.BillingPeriodStart(today, line.BillingCycle, line.TermDuration, 1),
                CancellationAllowedUntil = now + Terms.ReductionWindow,
                SeatAdditions = [new SeatAddition(line.Quantity, now)],
                Etag = 1,
            };
            if (line.CustomTermEndDate is { } end)
            {
                // A co-termed first term: it ends on the custom date, and full terms start the day after.
                sub.CommitmentEndDate = end;
                sub.TermAnchor = end.AddDays(1);
                sub.TermIndex = -1;
            }
            created.Add((line, sub));
        }

        var orders = new List<Order>();
        foreach (var group in created.GroupBy(c => c.Line.BillingCycle))
        {
            var order = new Order
            {
                Id = Order.NewId(),
                TenantId = tenant.Id,
                Seq = await db.NextSequenceAsync("order"),
                BillingCycle = group.Key,
                Currency = currency,
                CreationDate = now,
                Status = pendingFor > TimeSpan.Zero ? OrderStatuses.Pending : OrderStatuses.Completed,
                CompletesAt = pendingFor > TimeSpan.Zero ? now + pendingFor : null,
            };
            var number = 0;
            foreach (var (line, sub) in group)
            {
                sub.OrderId = order.Id;
                db.Subscriptions.Add(sub);
                if (order.Status == OrderStatuses.Pending)
                {
                    // Microsoft's pending order already names its subscriptions; they are billed once the order completes.
                    sub.Status = SubscriptionStatuses.Pending;
                }
                else
                {
                    db.Charges.Add(Charges.FullPeriod(sub, "new", today, now));
                }
                order.LineItems.Add(new OrderLine(number++, line.CatalogItemId, sub.Id, sub.ParentSubscriptionId, sub.FriendlyName, sub.Quantity, sub.TermDuration, "New", line.CustomTermEndDate));
            }
            db.Orders.Add(order);
            orders.Add(order);
        }
        cart.Status = "Ordered";
        cart.OrderIds = [.. orders.Select(o => o.Id)];
        cart.LastModifiedAt = now;
        await db.SaveChangesAsync();
        if (pendingFor > TimeSpan.Zero)
        {
            delayed.DueAt(now + pendingFor);
        }
        else
        {
            foreach (var (_, sub) in created)
            {
                webhooks.Raise("subscription-updated", "subscription", $"/webhooks/v1/customers/{tenant.Id}/subscriptions/{sub.Id}", now);
            }
        }
        return CheckoutResult(orders);
    }

    private static IResult CheckoutResult(IEnumerable<Order> orders) => Pc.Ok(new
    {
        orders = orders.Select(o => OrderJson(o)).ToArray(),
        orderErrors = Array.Empty<object>(),
        attributes = Pc.Attributes("CartCheckoutResult"),
    }, 201);

    public static object CartJson(Cart cart, Tenant tenant)
    {
        var currency = CatalogData.CurrencyFor(tenant.BillingProfile?.DefaultAddress.Country);
        return new
        {
            id = cart.Id,
            creationTimestamp = Pc.Date(cart.CreatedAt),
            lastModifiedTimestamp = Pc.Date(cart.LastModifiedAt),
            expirationTimestamp = Pc.Date(cart.CreatedAt.AddDays(7)),
            lastModifiedUser = tenant.Id,
            status = cart.Status,
            // No pricing on the lines: Microsoft's carts do not carry it (create-a-cart); prices come from the price sheet.
            lineItems = cart.LineItems.Select(l => new
            {
                id = l.Id,
                catalogItemId = l.CatalogItemId,
                friendlyName = l.FriendlyName,
                quantity = l.Quantity,
                currencyCode = currency,
                billingCycle = l.BillingCycle,
                termDuration = l.TermDuration,
                provisioningContext = l.ProvisioningContext,
                orderGroup = l.OrderGroup,
                customTermEndDate = l.CustomTermEndDate is { } end ? Pc.Date(end) : null,
            }).ToArray(),
            links = new { self = Pc.Link($"/customers/{tenant.Id}/carts/{cart.Id}") },
            attributes = Pc.Attributes("Cart"),
        };
    }

    public static object OrderJson(Order o) => new
    {
        id = o.Id,
        alternateId = o.Id,
        referenceCustomerId = o.TenantId,
        billingCycle = o.BillingCycle,
        currencyCode = o.Currency,
        currencySymbol = CatalogData.CurrencySymbol(o.Currency),
        lineItems = o.LineItems.Select(l => new
        {
            lineItemNumber = l.LineItemNumber,
            offerId = l.OfferId,
            subscriptionId = l.SubscriptionId,
            parentSubscriptionId = l.ParentSubscriptionId,
            termDuration = l.TermDuration,
            transactionType = l.TransactionType,
            friendlyName = l.FriendlyName,
            quantity = l.Quantity,
            customTermEndDate = l.CustomTermEndDate is { } end ? Pc.Date(end) : null,
            links = new { subscription = Pc.Link($"/customers/{o.TenantId}/subscriptions/{l.SubscriptionId}") },
        }).ToArray(),
        creationDate = Pc.Date(o.CreationDate),
        status = o.Status,
        transactionType = "UserPurchase",
        links = new { self = Pc.Link($"/customers/{o.TenantId}/orders/{o.Id}") },
        attributes = Pc.Attributes("Order"),
    };
}
