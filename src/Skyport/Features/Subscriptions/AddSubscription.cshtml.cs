using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Billing.Rating;
using Skyport.Features.Billing.Reports;
using Skyport.Features.Catalog;
using Skyport.Web;

namespace Skyport.Features.Subscriptions;

/// <summary>"Add subscription": category, then product group, then product, quantity and price; the parts below a choice are re-drawn by htmx.</summary>
public sealed class AddSubscriptionModel(
    SkyportDbContext db, CatalogQueries catalog, BuySubscription buy, Caller caller, TermEndAlignment alignment, BillingReports billing, TimeProvider clock) : PageModel
{
    public Guid CustomerId { get; private set; }
    public string CustomerName { get; private set; } = "";
    public IReadOnlyList<CustomerOfferDto> Offers { get; private set; } = [];

    [BindProperty(SupportsGet = true)]
    public SubscriptionForm Input { get; set; } = new();

    public IReadOnlyList<string> Categories => [.. Offers.Where(o => !o.IsAddOn).Select(o => o.Category).Distinct().Order()];

    public IReadOnlyList<string> Groups => Input.Category is null ? [] : [.. Offers.Where(o => !o.IsAddOn && o.Category == Input.Category).Select(o => o.ProductGroup).Distinct().Order()];

    public IReadOnlyList<CustomerOfferDto> Products => Input.Category is null || Input.ProductGroup is null
        ? []
        : [.. Offers.Where(o => !o.IsAddOn && o.Category == Input.Category && o.ProductGroup == Input.ProductGroup).DistinctBy(o => o.OfferId).OrderBy(o => o.Name)];

    public CustomerOfferDto? Selected => Input.OfferId is null
        ? null
        : Offers.FirstOrDefault(o => o.OfferId == Input.OfferId && o.TermDuration + "/" + o.BillingFrequency == Input.Term);

    /// <summary>"Align the term end with": the dates Partner Center offers for the chosen term (R13); empty until a product is chosen.</summary>
    public IReadOnlyList<TermEndChoice> TermEndChoices { get; private set; } = [];

    /// <summary>Why the term end choices are missing (Partner Center did not give them), shown beside the field.</summary>
    public string? TermEndChoicesMissing { get; private set; }

    /// <summary>What the co-termed first term costs (R13), when a term end and a priced quantity are chosen.</summary>
    public decimal? FirstTermCost { get; private set; }

    public static readonly (string Value, string Label)[] TermChoices =
        [("P1M/monthly", "1 month, billed monthly"), ("P1Y/monthly", "1 year, billed monthly"), ("P1Y/annual", "1 year, billed annually")];

    public async Task<IActionResult> OnGetAsync(Guid customerId, CancellationToken ct)
    {
        Input.PurchaseKey ??= Guid.NewGuid();
        return await LoadAsync(customerId, ct) && await LoadTermEndAsync(ct) ? Page() : NotFound();
    }

    /// <summary>The product groups, products and price below the category (or the products and price below the group).</summary>
    public async Task<IActionResult> OnGetPickerAsync(Guid customerId, CancellationToken ct)
    {
        if (!await LoadAsync(customerId, ct)) return NotFound();
        if (Input.ProductGroup is not null && !Groups.Contains(Input.ProductGroup)) Input.ProductGroup = null;
        if (Input.OfferId is not null && Products.All(p => p.OfferId != Input.OfferId)) Input.OfferId = null;
        await LoadTermEndAsync(ct);
        return Partial("_Picker", this);
    }

    public async Task<IActionResult> OnGetPriceAsync(Guid customerId, CancellationToken ct) =>
        await LoadAsync(customerId, ct) && await LoadTermEndAsync(ct) ? Partial("_Price", this) : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid customerId, CancellationToken ct)
    {
        if (!await LoadAsync(customerId, ct)) return NotFound();
        var parts = (Input.Term ?? "").Split('/');
        var outcome = await buy.BuyAsync(customerId, new BuySubscriptionRequest(
            Input.OfferId, Input.EffectiveQuantity, Input.FriendlyName, Input.PurchaseOrderNumber,
            parts.Length == 2 ? parts[0] : null, parts.Length == 2 ? parts[1] : null, Input.CustomTermEndDate),
            Input.PurchaseKey is { } key ? $"page:{caller.UserId:N}:{key:N}" : null, ct);
        if (outcome.Succeeded)
        {
            TempData["Message"] = outcome.Value!.Status == "pending"
                ? $"{outcome.Value.Quantity} × {outcome.Value.Name} ordered: Partner Center is processing the order, so it shows as being processed until it is active. It is charged from then."
                : $"{outcome.Value.Quantity} × {outcome.Value.Name} bought. It is charged from today.";
            return Redirect($"~/my-services/o365/{customerId}/subscriptions");
        }
        ModelState.Clear();
        await LoadTermEndAsync(ct);
        if (outcome.Failure!.Kind != FailureKind.UpstreamFailed)
        {
            Input.PurchaseKey = Guid.NewGuid(); // that attempt is over: a corrected form is a new purchase
        }
        if (outcome.Failure!.Kind == FailureKind.Invalid)
        {
            ModelState.AddFailure(outcome.Failure, nameof(Input));
        }
        else
        {
            ModelState.AddModelError(string.Empty, outcome.Failure.Detail);
        }
        return Page();
    }

    private async Task<bool> LoadAsync(Guid customerId, CancellationToken ct)
    {
        var customer = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == customerId && o.Kind == Organizations.OrganizationKind.Customer, ct);
        if (customer is null) return false;
        (CustomerId, CustomerName) = (customerId, customer.Name);
        var offers = await catalog.ForCustomerAsync(customerId, ct);
        Offers = offers.Succeeded ? offers.Value! : [];
        Input.Term ??= TermChoices[0].Value;
        return true;
    }

    /// <summary>The term end choices for the chosen product and term, and the first term's cost of the one chosen; always true (a page part).</summary>
    private async Task<bool> LoadTermEndAsync(CancellationToken ct)
    {
        if (Selected is not { UnitPrice: { } unit } offer)
        {
            Input.CustomTermEndDate = null;
            return true;
        }
        var choices = await alignment.ChoicesAsync(CustomerId, offer.TermDuration, ct);
        TermEndChoices = choices.Succeeded ? choices.Value! : [];
        TermEndChoicesMissing = choices.Succeeded ? null : choices.Failure!.Detail;
        var chosen = TermEndChoices.FirstOrDefault(c => c.Date.ToString("yyyy-MM-dd") == Input.CustomTermEndDate);
        if (chosen is null)
        {
            Input.CustomTermEndDate = null;
        }
        else if (Input.EffectiveQuantity is { } q && q is >= 1 and <= SubscriptionMath.MaxQuantity)
        {
            FirstTermCost = ChangeQuotes.CoterminousFirstTerm(
                q, unit, Utc.DateOf(clock.GetUtcNow()), chosen.Date, Enum.Parse<TermDuration>(offer.TermDuration),
                offer.BillingFrequency == "annual" ? BillingFrequency.Annual : BillingFrequency.Monthly, await billing.CycleEndDayAsync(CustomerId, ct));
        }
        return true;
    }

    public sealed class SubscriptionForm
    {
        public string? Category { get; set; }
        public string? ProductGroup { get; set; }
        public string? OfferId { get; set; }
        public string? Term { get; set; }
        /// <summary>1–50, or "custom" for <see cref="CustomQuantity"/>.</summary>
        public string? Quantity { get; set; } = "1";
        public int? CustomQuantity { get; set; }
        public string? FriendlyName { get; set; }
        public string? PurchaseOrderNumber { get; set; }
        /// <summary>"Align the term end with": a date of <see cref="TermEndChoices"/> (yyyy-MM-dd), or none for a full first term.</summary>
        public string? CustomTermEndDate { get; set; }
        /// <summary>Names this purchase across resubmissions (a double click, a reload after a lost answer), so it is made once.</summary>
        public Guid? PurchaseKey { get; set; }

        public int? EffectiveQuantity => Quantity == "custom" ? CustomQuantity : int.TryParse(Quantity, out var q) ? q : null;
    }
}
