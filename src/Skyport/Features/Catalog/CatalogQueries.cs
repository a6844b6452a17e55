using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Billing.Preview;
using Skyport.Features.Billing.Rating;
using Skyport.Features.Organizations;
using Skyport.Features.Tenants;
using Skyport.Web;

namespace Skyport.Features.Catalog;

/// <summary>One offer with one term and billing frequency, priced for a customer; <c>unitPrice</c> is null when it has no price.</summary>
public sealed record CustomerOfferDto(
    string OfferId,
    string ProductId,
    string SkuId,
    string Name,
    string Description,
    string Category,
    string ProductGroup,
    string ItemCode,
    string TermDuration,
    string BillingFrequency,
    bool IsAddOn,
    IReadOnlyList<string> BaseOfferIds,
    decimal? UnitPrice,
    string Currency,
    string? PriceSource,
    int MinimumQuantity,
    int MaximumQuantity,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? CostPrice = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Margin = null);

public sealed record CatalogOfferAdminDto(
    string OfferId, string Name, string Category, string ProductGroup, string DerivedCategory, string DerivedProductGroup,
    bool IsAddOn, bool Hidden, bool Available, IReadOnlyList<string> Terms, DateTimeOffset ImportedAt);

public sealed record CatalogGroupDto(string Kind, string Original, string DisplayName);
public sealed record OfferVisibilityRequest(string? OfferId, bool? Hidden);
public sealed record RenameGroupRequest(string? Kind, string? Original, string? DisplayName);

/// <summary>The catalog as customers and broker administrators see it, with the groups' names as the broker chose them.</summary>
public sealed class CatalogQueries(SkyportDbContext db, PriceListService prices, Caller caller)
{
    public async Task<Outcome<IReadOnlyList<CustomerOfferDto>>> ForCustomerAsync(Guid customerId, CancellationToken ct)
    {
        var customer = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == customerId && o.Kind == OrganizationKind.Customer, ct);
        if (customer is null)
        {
            return Failure.NotFound("The customer");
        }
        var offers = await db.CatalogOffers.AsNoTracking().Where(o => !o.Hidden && o.Available).ToListAsync(ct);
        var names = await GroupNamesAsync(ct);
        var lookup = await prices.LookupForAsync(customerId, ct);
        var costs = caller.IsBroker
            ? await db.CatalogCostPrices.AsNoTracking().ToDictionaryAsync(c => (c.OfferId, c.TermDuration, c.BillingFrequency), c => c.UnitPrice, ct)
            : [];
        var byItemCode = offers.ToLookup(o => o.ItemCode, StringComparer.OrdinalIgnoreCase);
        var today = prices.Today;
        return offers
            .OrderBy(o => o.Category).ThenBy(o => o.ProductGroup).ThenBy(o => o.Name)
            .SelectMany(o => o.TermList.Select(t =>
            {
                var quote = lookup.InForceOn(Key(o.Id, t), today);
                decimal? cost = costs.TryGetValue((o.Id, t.TermDuration, t.BillingFrequency), out var c) ? c : null;
                return new CustomerOfferDto(
                    o.Id, o.ProductId, o.SkuId, o.Name, o.Description,
                    names.Category(o.Category), names.Group(o.ProductGroup), o.ItemCode, t.TermDuration, t.BillingFrequency,
                    o.IsAddOn, [.. o.BaseItemCodeList.SelectMany(code => byItemCode[code]).Select(b => b.Id)],
                    quote?.UnitPrice, prices.Currency, quote is null ? null : quote.Source.WireName(),
                    o.MinimumQuantity, o.MaximumQuantity,
                    cost, cost is { } known && quote is not null ? quote.UnitPrice - known : null);
            }))
            .ToList();
    }

    public static PriceKey Key(string offerId, OfferTerm term) => new(
        offerId,
        Enum.Parse<Billing.Rating.TermDuration>(term.TermDuration),
        term.BillingFrequency == "annual" ? BillingFrequency.Annual : BillingFrequency.Monthly);

    public async Task<IReadOnlyList<CatalogOfferAdminDto>> AllOffersAsync(CancellationToken ct)
    {
        var names = await GroupNamesAsync(ct);
        var offers = await db.CatalogOffers.AsNoTracking().ToListAsync(ct);
        return [.. offers.OrderBy(o => o.Category).ThenBy(o => o.ProductGroup).ThenBy(o => o.Name).Select(o => new CatalogOfferAdminDto(
            o.Id, o.Name, names.Category(o.Category), names.Group(o.ProductGroup), o.Category, o.ProductGroup,
            o.IsAddOn, o.Hidden, o.Available, [.. o.TermList.Select(t => t.ToString())], o.ImportedAt))];
    }

    public async Task<IReadOnlyList<CatalogGroupDto>> GroupsAsync(CancellationToken ct)
    {
        var names = await GroupNamesAsync(ct);
        var offers = await db.CatalogOffers.AsNoTracking().Select(o => new { o.Category, o.ProductGroup }).Distinct().ToListAsync(ct);
        return
        [
            .. offers.Select(o => o.Category).Distinct().Order().Select(c => new CatalogGroupDto(CatalogGroupName.CategoryKind, c, names.Category(c))),
            .. offers.Select(o => o.ProductGroup).Distinct().Order().Select(g => new CatalogGroupDto(CatalogGroupName.ProductGroupKind, g, names.Group(g))),
        ];
    }

    public async Task<Outcome<CatalogOfferAdminDto>> SetVisibilityAsync(OfferVisibilityRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.OfferId)) errors["offerId"] = ["Enter the offer ID."];
        if (request.Hidden is null) errors["hidden"] = ["Say whether the offer is hidden (true or false)."];
        if (errors.Count > 0) return Failure.Invalid(errors);
        var offer = await db.CatalogOffers.SingleOrDefaultAsync(o => o.Id == request.OfferId!.Trim(), ct);
        if (offer is null) return Failure.Invalid("offerId", $"{request.OfferId} is not an offer of the catalog.");
        offer.Hidden = request.Hidden!.Value;
        await db.SaveChangesAsync(ct);
        return (await AllOffersAsync(ct)).Single(o => o.OfferId == offer.Id);
    }

    public async Task<Outcome<CatalogGroupDto>> RenameAsync(RenameGroupRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var kind = request.Kind?.Trim();
        if (kind is not (CatalogGroupName.CategoryKind or CatalogGroupName.ProductGroupKind)) errors["kind"] = ["The kind must be category or productGroup."];
        if (string.IsNullOrWhiteSpace(request.Original)) errors["original"] = ["Enter the group's original name."];
        var display = request.DisplayName?.Trim();
        if (string.IsNullOrEmpty(display)) errors["displayName"] = ["Enter the new name."];
        else if (display.Length > 100) errors["displayName"] = ["The name has at most 100 characters."];
        if (errors.Count > 0) return Failure.Invalid(errors);
        var original = request.Original!.Trim();
        var exists = kind == CatalogGroupName.CategoryKind
            ? await db.CatalogOffers.AnyAsync(o => o.Category == original, ct)
            : await db.CatalogOffers.AnyAsync(o => o.ProductGroup == original, ct);
        if (!exists) return Failure.Invalid("original", $"No {(kind == CatalogGroupName.CategoryKind ? "category" : "product group")} is called {original}.");
        var stored = await db.CatalogGroupNames.SingleOrDefaultAsync(g => g.Kind == kind && g.Original == original, ct);
        if (stored is null)
        {
            db.CatalogGroupNames.Add(new CatalogGroupName { Kind = kind!, Original = original, DisplayName = display! });
        }
        else
        {
            stored.DisplayName = display!;
        }
        await db.SaveChangesAsync(ct);
        return new CatalogGroupDto(kind!, original, display!);
    }

    private async Task<GroupNames> GroupNamesAsync(CancellationToken ct) =>
        new(await db.CatalogGroupNames.AsNoTracking().ToListAsync(ct));

    private sealed class GroupNames(List<CatalogGroupName> names)
    {
        private readonly Dictionary<string, string> _categories = names.Where(n => n.Kind == CatalogGroupName.CategoryKind).ToDictionary(n => n.Original, n => n.DisplayName);
        private readonly Dictionary<string, string> _groups = names.Where(n => n.Kind == CatalogGroupName.ProductGroupKind).ToDictionary(n => n.Original, n => n.DisplayName);

        public string Category(string original) => _categories.GetValueOrDefault(original, original);
        public string Group(string original) => _groups.GetValueOrDefault(original, original);
    }
}
