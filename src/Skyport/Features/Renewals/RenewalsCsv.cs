using System.Globalization;
using CsvHelper;

namespace Skyport.Features.Renewals;

/// <summary>The renewals ahead as CSV, one row per subscription, invariant culture.</summary>
public static class RenewalsCsv
{
    public static string FileName(DateOnly today, int days) => $"renewals-{today:yyyy-MM-dd}-{days}d.csv";

    public static async Task<string> WriteAsync(IEnumerable<RenewalAhead> renewals)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        await using (var csv = CsvWriter.Create(writer, null, leaveOpen: true))
        {
            csv.WriteHeader(["termEnd", "customer", "subscription", "offerId", "action", "changes", "quantityBefore", "quantityAfter", "monthlyBefore", "monthlyAfter"]);
            foreach (var r in renewals)
            {
                csv.WriteRecord(
                [
                    r.TermEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.CustomerName, r.SubscriptionName, r.OfferId, r.Action.WireName(), r.Changes,
                    r.QuantityBefore.ToString(CultureInfo.InvariantCulture), r.QuantityAfter.ToString(CultureInfo.InvariantCulture),
                    r.MonthlyBefore.ToString("0.00", CultureInfo.InvariantCulture), r.MonthlyAfter.ToString("0.00", CultureInfo.InvariantCulture),
                ]);
            }
        }
        return writer.ToString();
    }
}
