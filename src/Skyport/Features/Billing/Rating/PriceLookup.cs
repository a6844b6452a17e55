namespace Skyport.Features.Billing.Rating;

public enum BillingFrequency
{
    Monthly,
    Annual,
}

public enum PriceSource
{
    Global,
    Customer,
}

/// <summary>A unit price per billing period, in force from <see cref="EffectiveFrom"/> until a later entry for the same key.</summary>
public sealed record PriceEntry(
    string OfferId,
    TermDuration TermDuration,
    BillingFrequency BillingFrequency,
    decimal UnitPrice,
    DateOnly EffectiveFrom)
{
    public PriceKey Key => new(OfferId, TermDuration, BillingFrequency);
}

public readonly record struct PriceKey(string OfferId, TermDuration TermDuration, BillingFrequency BillingFrequency)
{
    public override string ToString() =>
        $"{OfferId} ({TermDuration}, {BillingFrequency.ToString().ToLowerInvariant()})";
}

/// <summary>The broker's global price list and the customer-specific one.</summary>
public sealed record PriceLists(IReadOnlyList<PriceEntry> Global, IReadOnlyList<PriceEntry> Customer)
{
    public static PriceLists GlobalOnly(params IReadOnlyList<PriceEntry> global) => new(global, []);
}

public sealed record PriceQuote(decimal UnitPrice, PriceSource Source);

/// <summary>
/// R5: the price for an offer, term and billing frequency on a date. The customer list wins when it has
/// an entry in force on that date; otherwise the global list. Callers look up at term start only (price lock).
/// </summary>
public sealed class PriceLookup
{
    private readonly Dictionary<PriceKey, PriceEntry[]> _global;
    private readonly Dictionary<PriceKey, PriceEntry[]> _customer;

    public PriceLookup(PriceLists lists)
    {
        _global = Index(lists.Global);
        _customer = Index(lists.Customer);
    }

    public bool HasAnyPrice(PriceKey key) => _customer.ContainsKey(key) || _global.ContainsKey(key);

    public PriceQuote? InForceOn(PriceKey key, DateOnly date)
    {
        if (InForce(_customer, key, date) is { } customer)
        {
            return new PriceQuote(customer.UnitPrice, PriceSource.Customer);
        }

        return InForce(_global, key, date) is { } global ? new PriceQuote(global.UnitPrice, PriceSource.Global) : null;
    }

    private static PriceEntry? InForce(Dictionary<PriceKey, PriceEntry[]> index, PriceKey key, DateOnly date)
    {
        if (!index.TryGetValue(key, out var entries))
        {
            return null;
        }

        // Entries are sorted by EffectiveFrom; the last one that has started is in force.
        PriceEntry? found = null;
        int low = 0, high = entries.Length - 1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            if (entries[middle].EffectiveFrom <= date)
            {
                found = entries[middle];
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found;
    }

    private static Dictionary<PriceKey, PriceEntry[]> Index(IReadOnlyList<PriceEntry> entries) =>
        entries
            .GroupBy(entry => entry.Key)
            // OrderBy is stable: of two entries with the same start, the one listed later wins.
            .ToDictionary(group => group.Key, group => group.OrderBy(entry => entry.EffectiveFrom).ToArray());
}
