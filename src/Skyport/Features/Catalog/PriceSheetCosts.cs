using Skyport.Features.Billing.Rating;
using Skyport.PartnerCenter;
using Skyport.Web;

namespace Skyport.Features.Catalog;

/// <summary>Microsoft's cost of one SKU for one term and billing frequency, per billing period.</summary>
public sealed record SkuCost(string ProductId, string SkuId, string TermDuration, string BillingFrequency, string Currency, decimal UnitPrice);

/// <summary>
/// Cost prices from Microsoft's license-based price sheet. A row's UnitPrice covers its whole term (Microsoft's example:
/// P1Y Annual 115.2 against an ERP price of 144, i.e. 12 × 12.00 a month); Skyport's prices are per billing period, so a
/// P1Y term billed monthly costs a twelfth of its row. Terms and billing plans Skyport does not sell (P3Y, triennial) are
/// skipped. Where a key has several rows, the one in force now (the latest effective start not after now) wins.
/// </summary>
public static class PriceSheetCosts
{
    public static Outcome<IReadOnlyList<SkuCost>> Select(IEnumerable<PriceSheetRow> rows, string market, string currency, DateTime now)
    {
        var chosen = new Dictionary<(string, string, string, string), PriceSheetRow>();
        var otherCurrencies = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in rows)
        {
            if (!row.Currency.Equals(currency, StringComparison.OrdinalIgnoreCase))
            {
                otherCurrencies.Add(row.Currency.ToUpperInvariant());
                continue;
            }
            var term = row.TermDuration.Trim().ToUpperInvariant();
            var frequency = row.BillingPlan.Trim().ToLowerInvariant();
            if (PeriodsPerTerm(term, frequency) is null) continue;
            var key = (row.ProductId.ToUpperInvariant(), row.SkuId, term, frequency);
            if (!chosen.TryGetValue(key, out var current) || InForceRather(row, current, now))
            {
                chosen[key] = row;
            }
        }
        if (chosen.Count == 0)
        {
            var published = otherCurrencies.Count == 0 ? "no license prices" : "prices in " + string.Join(", ", otherCurrencies);
            return Failure.RuleRefused(
                $"Partner Center's price sheet for market {market} has {published}, none in {currency.ToUpperInvariant()}. " +
                "Set Skyport:Catalog:Currency to the market's currency, or Skyport:Catalog:Country to a market that sells in yours. Nothing was imported.");
        }
        return chosen.Select(c => new SkuCost(c.Key.Item1, c.Key.Item2, c.Key.Item3, c.Key.Item4, c.Value.Currency.ToUpperInvariant(),
            Money.RoundHalfAwayFromZero(c.Value.UnitPrice / PeriodsPerTerm(c.Key.Item3, c.Key.Item4)!.Value))).ToList();
    }

    /// <summary>How many billing periods a term has, for the terms and frequencies Skyport sells; null for others.</summary>
    public static int? PeriodsPerTerm(string termDuration, string billingFrequency) => (termDuration, billingFrequency) switch
    {
        ("P1M", "monthly") => 1,
        ("P1Y", "monthly") => 12,
        ("P1Y", "annual") => 1,
        _ => null,
    };

    private static bool InForceRather(PriceSheetRow candidate, PriceSheetRow current, DateTime now)
    {
        var candidateStart = candidate.EffectiveStartDate ?? DateTime.MinValue;
        var currentStart = current.EffectiveStartDate ?? DateTime.MinValue;
        var candidateInForce = candidateStart <= now;
        var currentInForce = currentStart <= now;
        return candidateInForce != currentInForce ? candidateInForce
            : candidateInForce ? candidateStart > currentStart
            : candidateStart < currentStart;
    }
}
