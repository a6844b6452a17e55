using System.Globalization;
using Skyport.Web;

namespace Skyport.Features.Catalog;

/// <summary>What a price list item must be: a known offer with a term it is sold with, a price of at most two decimals.</summary>
public static class PriceListRules
{
    public const decimal MaxUnitPrice = 1_000_000m;
    public static readonly string[] TermDurations = ["P1M", "P1Y"];
    public static readonly string[] BillingFrequencies = ["monthly", "annual"];

    /// <summary>A valid item, normalized; or the messages per field name (offerId, termDuration, ...).</summary>
    public static (PriceListItemInput? Item, Dictionary<string, string> Errors) Check(PriceListItemInput? input, Func<string, IReadOnlyCollection<string>?> termsOfOffer)
    {
        var errors = new Dictionary<string, string>();
        if (input is null)
        {
            errors[""] = "Enter an item.";
            return (null, errors);
        }
        var offerId = input.OfferId?.Trim();
        IReadOnlyCollection<string>? terms = null;
        if (string.IsNullOrEmpty(offerId))
        {
            errors["offerId"] = "Enter the offer ID.";
        }
        else if ((terms = termsOfOffer(offerId)) is null)
        {
            errors["offerId"] = $"{offerId} is not an offer of the catalog.";
        }

        var term = input.TermDuration?.Trim().ToUpperInvariant();
        if (!TermDurations.Contains(term))
        {
            errors["termDuration"] = "The term must be P1M or P1Y.";
        }
        var frequency = input.BillingFrequency?.Trim().ToLowerInvariant();
        if (!BillingFrequencies.Contains(frequency))
        {
            errors["billingFrequency"] = "The billing frequency must be monthly or annual.";
        }
        else if (frequency == "annual" && term == "P1M")
        {
            errors["billingFrequency"] = "Annual billing is only for the P1Y term.";
        }
        else if (terms is not null && term is not null && !errors.ContainsKey("termDuration") && !terms.Contains($"{term}/{frequency}"))
        {
            errors["termDuration"] = $"{offerId} is not sold with {term} billed {frequency}.";
        }

        if (input.UnitPrice is not { } price)
        {
            errors["unitPrice"] = "Enter the unit price.";
        }
        else if (price < 0)
        {
            errors["unitPrice"] = "The unit price cannot be negative.";
        }
        else if (price > MaxUnitPrice)
        {
            errors["unitPrice"] = $"The unit price cannot exceed {MaxUnitPrice.ToString("N0", CultureInfo.InvariantCulture)}.";
        }
        else if (decimal.Round(price, 2) != price)
        {
            errors["unitPrice"] = "The unit price has at most 2 decimals.";
        }

        if (string.IsNullOrWhiteSpace(input.EffectiveFrom))
        {
            errors["effectiveFrom"] = "Enter the date the price takes effect (YYYY-MM-DD).";
        }
        else if (!DateOnly.TryParseExact(input.EffectiveFrom.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            || date.Year is < 2000 or > 2099)
        {
            errors["effectiveFrom"] = "The date must be YYYY-MM-DD, between 2000 and 2099.";
        }

        return errors.Count > 0
            ? (null, errors)
            : (new PriceListItemInput(offerId, term, frequency, input.UnitPrice, input.EffectiveFrom!.Trim()), errors);
    }

    /// <summary>The name of the problem member that says how many prices an empty replacement would remove.</summary>
    public const string PricesToRemove = "pricesToRemove";

    /// <summary>
    /// An empty replacement of a list that holds prices removes them all, so it needs the caller's explicit word
    /// (<paramref name="howToConfirm"/>); without it nothing changes. Clearing an empty list is harmless.
    /// </summary>
    public static Failure? RefuseEmptyReplacement(int newItems, int currentItems, bool confirmed, string listName, string howToConfirm)
    {
        if (newItems > 0 || currentItems == 0 || confirmed)
        {
            return null;
        }
        var prices = currentItems == 1 ? "the 1 price" : $"all {currentItems} prices";
        return new Failure(FailureKind.Invalid, $"Nothing was changed: the new list is empty and would remove {prices} of the {listName}.",
            new Dictionary<string, string[]> { ["items"] = [$"The list is empty. To remove {prices} of the {listName}, {howToConfirm}."] })
        {
            Extensions = new Dictionary<string, object?> { [PricesToRemove] = currentItems },
        };
    }

    /// <summary>Every error of a whole list, keyed <c>items[3].unitPrice</c>; duplicates of offer, term, frequency and date are refused.</summary>
    public static (IReadOnlyList<PriceListItemInput> Items, Dictionary<string, string[]> Errors) CheckAll(
        IReadOnlyList<PriceListItemInput?>? items, Func<string, IReadOnlyCollection<string>?> termsOfOffer, Func<int, string>? path = null)
    {
        path ??= index => $"items[{index}]";
        var errors = new Dictionary<string, string[]>();
        var valid = new List<PriceListItemInput>();
        if (items is null)
        {
            errors["items"] = ["Enter the items (an empty list with \"replaceWithEmpty\": true clears the price list)."];
            return (valid, errors);
        }
        var seen = new Dictionary<(string?, string?, string?, string?), int>();
        for (var i = 0; i < items.Count; i++)
        {
            var (item, itemErrors) = Check(items[i], termsOfOffer);
            foreach (var (field, message) in itemErrors)
            {
                errors[field.Length == 0 ? path(i) : $"{path(i)}.{field}"] = [message];
            }
            if (item is null)
            {
                continue;
            }
            var key = (item.OfferId, item.TermDuration, item.BillingFrequency, item.EffectiveFrom);
            if (seen.TryGetValue(key, out var first))
            {
                errors[$"{path(i)}.effectiveFrom"] = [$"The same offer, term, billing frequency and date is already at {path(first)}."];
                continue;
            }
            seen[key] = i;
            valid.Add(item);
        }
        return (valid, errors);
    }
}
