using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Organizations;
using Skyport.Web;

namespace Skyport.Features.Catalog;

/// <summary>The global price list, or with a customer id that customer's own list: view, set or remove a price, CSV in and out.</summary>
public sealed class PriceListPageModel(PriceListService lists, SkyportDbContext db, Caller caller) : PageModel
{
    public Guid? CustomerId { get; private set; }
    public string? CustomerName { get; private set; }
    public string Title => CustomerName is null ? "Global price list" : $"Price list of {CustomerName}";
    public PriceListDto List { get; private set; } = null!;
    public IReadOnlyList<(string Id, string Name)> Offers { get; private set; } = [];
    public IReadOnlyList<Organization> Customers { get; private set; } = [];
    public bool CanEdit => CustomerId is null ? caller.IsBroker : caller.OrganizationKind != OrganizationKind.Customer;
    public IReadOnlyList<string> ImportErrors { get; private set; } = [];

    /// <summary>Set when an uploaded file holds no prices: the page asks before it removes these many.</summary>
    public int? PricesToRemove { get; private set; }

    /// <summary>"the global price list" or "the price list of Northwind Traders", for sentences.</summary>
    public string ListName => CustomerName is null ? "the global price list" : $"the price list of {CustomerName}";

    [BindProperty]
    public PriceForm Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(Guid? customerId, CancellationToken ct) =>
        await LoadAsync(customerId, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostSetAsync(Guid? customerId, CancellationToken ct)
    {
        if (!await LoadAsync(customerId, ct)) return NotFound();
        var item = new PriceListItemInput(Input.OfferId, Input.Term?.Split('/')[0], Input.Term?.Split('/').ElementAtOrDefault(1), Input.UnitPrice, Input.EffectiveFrom);
        var items = Current().Where(i => !(i.OfferId == item.OfferId && i.TermDuration == item.TermDuration && i.BillingFrequency == item.BillingFrequency && i.EffectiveFrom == item.EffectiveFrom)).Append(item).ToList();
        var outcome = await lists.ReplaceAsync(customerId, new PriceListRequest(items), ct);
        if (outcome.Succeeded)
        {
            TempData["Message"] = "The price is saved.";
            return RedirectToPage(new { customerId });
        }
        var failure = outcome.Failure!;
        ModelState.Clear();
        if (failure.Errors is { } errors)
        {
            var index = items.Count - 1;
            foreach (var (key, messages) in errors.Where(e => e.Key.StartsWith($"items[{index}].", StringComparison.Ordinal)))
            {
                var field = key[$"items[{index}].".Length..];
                var name = field is "termDuration" or "billingFrequency" ? "Term" : char.ToUpperInvariant(field[0]) + field[1..];
                ModelState.AddModelError($"{nameof(Input)}.{name}", messages[0]);
            }
        }
        if (ModelState.ErrorCount == 0) ModelState.AddModelError(string.Empty, failure.Detail);
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid? customerId, string offerId, string term, string frequency, string effectiveFrom, CancellationToken ct)
    {
        if (!await LoadAsync(customerId, ct)) return NotFound();
        var items = Current().Where(i => !(i.OfferId == offerId && i.TermDuration == term && i.BillingFrequency == frequency && i.EffectiveFrom == effectiveFrom)).ToList();
        // The person pressed Remove on this very price: removing the last one empties the list on purpose.
        var outcome = await lists.ReplaceAsync(customerId, new PriceListRequest(items, ReplaceWithEmpty: true), ct);
        TempData["Message"] = outcome.Succeeded ? "The price is removed." : outcome.Failure!.Detail;
        return RedirectToPage(new { customerId });
    }

    /// <summary>The confirmation of an upload without prices: only this post empties the list.</summary>
    public async Task<IActionResult> OnPostRemoveAllAsync(Guid? customerId, CancellationToken ct)
    {
        if (!await LoadAsync(customerId, ct)) return NotFound();
        var count = List.Items.Count;
        var outcome = await lists.ReplaceAsync(customerId, new PriceListRequest([], ReplaceWithEmpty: true), ct);
        TempData["Message"] = outcome.Succeeded ? $"All {count} prices of {ListName} are removed." : outcome.Failure!.Detail;
        return RedirectToPage(new { customerId });
    }

    public async Task<IActionResult> OnPostImportAsync(Guid? customerId, IFormFile? file, CancellationToken ct)
    {
        if (!await LoadAsync(customerId, ct)) return NotFound();
        if (file is null || file.Length == 0)
        {
            ModelState.AddModelError(string.Empty, "Choose a CSV file to import.");
            return Page();
        }
        await using var stream = file.OpenReadStream();
        var outcome = await lists.ImportCsvAsync(customerId, stream, replaceWithEmpty: false, ct);
        if (outcome.Succeeded)
        {
            TempData["Message"] = $"{outcome.Value!.Items.Count} prices imported; the list was replaced.";
            return RedirectToPage(new { customerId });
        }
        if (outcome.Failure!.Extensions?.GetValueOrDefault(PriceListRules.PricesToRemove) is int count)
        {
            PricesToRemove = count;
            return Page();
        }
        ModelState.AddModelError(string.Empty, outcome.Failure!.Detail);
        ImportErrors = outcome.Failure.Errors?.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}: {e.Value[0]}").ToList() ?? [];
        return Page();
    }

    private IEnumerable<PriceListItemInput> Current() => List.Items.Select(i => new PriceListItemInput(
        i.OfferId, i.TermDuration, i.BillingFrequency, i.UnitPrice, i.EffectiveFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));

    private async Task<bool> LoadAsync(Guid? customerId, CancellationToken ct)
    {
        var list = await lists.GetAsync(customerId, ct);
        if (!list.Succeeded) return false;
        (CustomerId, List) = (customerId, list.Value!);
        if (customerId is { } id)
        {
            CustomerName = await db.Organizations.Where(o => o.Id == id).Select(o => o.Name).SingleAsync(ct);
        }
        else if (caller.OrganizationKind != OrganizationKind.Customer)
        {
            Customers = await db.Organizations.AsNoTracking().Where(o => o.Kind == OrganizationKind.Customer).OrderBy(o => o.Name).ToListAsync(ct);
        }
        Offers = [.. (await db.CatalogOffers.AsNoTracking().Where(o => o.Available).OrderBy(o => o.Name).Select(o => new { o.Id, o.Name }).ToListAsync(ct)).Select(o => (o.Id, o.Name))];
        Input.EffectiveFrom ??= lists.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return true;
    }

    public sealed class PriceForm
    {
        public string? OfferId { get; set; }
        public string? Term { get; set; } = "P1M/monthly";
        public decimal? UnitPrice { get; set; }
        public string? EffectiveFrom { get; set; }
    }
}
