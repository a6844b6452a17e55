using Microsoft.EntityFrameworkCore;
using Skyport.PartnerCenterEmulator.Catalog;
using Skyport.PartnerCenterEmulator.Core;

namespace Skyport.PartnerCenterEmulator.Billing;

/// <summary>Invoices and their billed (one-time provider, NCE) line items.</summary>
public static class InvoiceEndpoints
{
    /// <summary>"size | number | No | The maximum number of items to return. Default max size = 2000" (get-invoiceline-items).</summary>
    public const int MaxLineItemPageSize = 2000;

    /// <summary>"We'll make your invoice available on the 8th day of the following month." (billing-different-types)</summary>
    public const int InvoiceDay = 8;

    public static void Map(IEndpointRouteBuilder v1)
    {
        v1.MapGet("/invoices", async (HttpContext http, EmulatorDb db) =>
        {
            var size = 200;
            var offset = 0;
            if ((http.Request.Query["size"].ToString() is { Length: > 0 } s && (!int.TryParse(s, out size) || size < 1 || size > Pc.MaxPageSize))
                || (http.Request.Query["offset"].ToString() is { Length: > 0 } o && (!int.TryParse(o, out offset) || offset < 0)))
            {
                return Errors.PcInvalid("size must be between 1 and 500 and offset must not be negative.", "size", "offset");
            }
            var invoices = (await db.Invoices.ToListAsync()).OrderByDescending(i => i.Id).Skip(offset).Take(size).ToList();
            return Pc.Ok(Pc.Collection(invoices.Select(Json).ToList(), $"/invoices?size={size}&offset={offset}"));
        });
        v1.MapGet("/invoices/{invoiceId}", async (string invoiceId, EmulatorDb db) =>
            await db.Invoices.FindAsync(invoiceId.ToUpperInvariant()) is { } invoice ? Pc.Ok(Json(invoice)) : NotFound(invoiceId)).RequireAppUser(); // get-invoice-by-id
        v1.MapGet("/invoices/{invoiceId}/lineitems", async (string invoiceId, HttpContext http, EmulatorDb db) =>
        {
            if (await db.Invoices.FindAsync(invoiceId.ToUpperInvariant()) is not { } invoice) return NotFound(invoiceId);
            var provider = http.Request.Query["provider"].ToString();
            var type = http.Request.Query["invoicelineitemtype"].ToString();
            if (!provider.Equals("onetime", StringComparison.OrdinalIgnoreCase) || !type.Equals("billinglineitems", StringComparison.OrdinalIgnoreCase))
            {
                return Errors.PcInvalid("provider=onetime and invoicelineitemtype=billinglineitems are required.", "provider", "invoicelineitemtype");
            }
            var (size, after, error) = Pc.Paging(http, MaxLineItemPageSize, MaxLineItemPageSize);
            if (error is not null) return error;
            var lines = await db.Charges.Where(c => c.InvoiceId == invoice.Id && c.Id > after).OrderBy(c => c.Id).Take(size + 1).ToListAsync();
            var tenants = await db.Tenants.ToDictionaryAsync(t => t.Id);
            var more = lines.Count > size;
            lines = lines.Take(size).ToList();
            var items = lines.Select(c => LineJson(c, invoice, tenants.GetValueOrDefault(c.TenantId))).ToList();
            var self = $"/invoices/{invoice.Id}/lineitems?provider=onetime&invoicelineitemtype=billinglineitems&size={size}";
            return Pc.Ok(more ? Pc.Collection(items, self, self + "&seekOperation=Next", Pc.Token(lines[^1].Id)) : Pc.Collection(items, self));
        });
    }

    private static IResult NotFound(string id) => Errors.Pc(404, 1000, "Not found", $"Invoice {id} was not found.");

    public static object Json(Invoice i) => new
    {
        id = i.Id,
        invoiceDate = Pc.Date(i.InvoiceDate),
        billingPeriodStartDate = Pc.Date(i.BillingPeriodStartDate),
        billingPeriodEndDate = Pc.Date(i.BillingPeriodEndDate),
        totalCharges = i.TotalCharges,
        paidAmount = 0m,
        currencyCode = i.Currency,
        currencySymbol = CatalogData.CurrencySymbol(i.Currency),
        invoiceType = "recurring",
        documentType = "Invoice",
        invoiceDetails = new[]
        {
            new
            {
                invoiceLineItemType = "billing_line_items",
                billingProvider = "one_time",
                links = new { self = Pc.Link($"/invoices/{i.Id}/lineitems?provider=onetime&invoicelineitemtype=billinglineitems&size={MaxLineItemPageSize}") },
                attributes = Pc.Attributes("InvoiceDetail"),
            },
        },
        amendments = Array.Empty<object>(),
        links = new { self = Pc.Link($"/invoices/{i.Id}") },
        attributes = Pc.Attributes("Invoice"),
    };

    private static object LineJson(ChargeLine c, Invoice invoice, Tenant? tenant) => new
    {
        partnerId = "",
        customerId = c.TenantId,
        customerName = tenant?.CompanyName,
        customerDomainName = tenant?.Domain,
        customerCountry = tenant?.BillingProfile?.DefaultAddress.Country,
        invoiceNumber = invoice.Id,
        orderId = c.OrderId,
        orderDate = Pc.Date(c.ChargedAt),
        productId = c.ProductId,
        skuId = c.SkuId,
        availabilityId = c.AvailabilityId,
        productName = c.ProductName,
        skuName = c.ProductName,
        chargeType = c.ChargeType,
        unitPrice = c.UnitPrice,
        effectiveUnitPrice = c.EffectiveUnitPrice,
        unitType = "Licenses",
        quantity = c.Quantity,
        subtotal = c.Subtotal,
        taxTotal = 0m,
        totalForCustomer = c.Subtotal,
        currency = c.Currency,
        publisherName = "Microsoft Corporation",
        subscriptionId = c.SubscriptionId,
        subscriptionStartDate = Pc.Date(c.SubscriptionStartDate),
        subscriptionEndDate = Pc.Date(c.SubscriptionEndDate),
        chargeStartDate = Pc.Date(c.ChargeStartDate),
        chargeEndDate = Pc.Date(c.ChargeEndDate),
        termAndBillingCycle = CatalogData.Term(c.TermDuration, c.BillingCycle)?.Description,
        billingFrequency = c.BillingCycle.Equals("annual", StringComparison.OrdinalIgnoreCase) ? "Annual" : "Monthly",
        pricingCurrency = c.Currency,
        pcToBCExchangeRate = 1,
        billableQuantity = c.Quantity,
        invoiceLineItemType = "billing_line_items",
        billingProvider = "one_time",
        attributes = Pc.Attributes("OneTimeInvoiceLineItem"),
    };
}
