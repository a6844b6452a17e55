using System.Globalization;
using CsvHelper;
using SpreadCheetah;
using SpreadCheetah.Styling;
using SpreadCheetah.Worksheets;

namespace Skyport.Features.Billing.Reports;

/// <summary>One line of a billing report as it is exported: one row per charge.</summary>
public sealed record ReportExportRow(
    DateOnly BillingDate,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    string Customer,
    string? TenantDomain,
    string SubscriptionId,
    string OfferId,
    string? ProductName,
    string? FriendlyName,
    string? PurchaseOrderNumber,
    string ChargeType,
    int Quantity,
    decimal UnitPrice,
    decimal Amount,
    string Currency,
    string PriceSource);

public enum ExportFormat
{
    Csv,
    Xlsx,
}

/// <summary>Writes report lines as CSV (CsvHelper) or Excel (SpreadCheetah): dates as dates, amounts as numbers.</summary>
public static class ReportExport
{
    public static readonly string[] Headers =
    [
        "Billing date", "Period start", "Period end", "Customer", "Tenant domain", "Subscription id", "Offer id",
        "Product name", "Friendly name", "PO number", "Charge type", "Quantity", "Unit price", "Amount", "Currency", "Price source",
    ];

    public static string ContentType(ExportFormat format) => format == ExportFormat.Csv
        ? "text/csv; charset=utf-8"
        : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static string FileName(string scope, string from, string to, ExportFormat format) =>
        $"billing-{scope}-{from}-to-{to}.{(format == ExportFormat.Csv ? "csv" : "xlsx")}";

    public static Task WriteAsync(IEnumerable<ReportExportRow> rows, Stream stream, ExportFormat format, CancellationToken ct) =>
        format == ExportFormat.Csv ? WriteCsvAsync(rows, stream, ct) : WriteXlsxAsync(rows, stream, ct);

    public static async Task WriteCsvAsync(IEnumerable<ReportExportRow> rows, Stream stream, CancellationToken ct)
    {
        // A byte order mark, so that Excel reads the file as UTF-8.
        await using var csv = CsvWriter.Create(stream, new CsvWriterOptions { WriteByteOrderMark = true }, true);
        csv.WriteRecord(Headers);
        foreach (var row in rows)
        {
            ct.ThrowIfCancellationRequested();
            csv.WriteRecord(
            [
                Date(row.BillingDate), Date(row.PeriodStart), Date(row.PeriodEnd), row.Customer, row.TenantDomain ?? "",
                row.SubscriptionId, row.OfferId, row.ProductName ?? "", row.FriendlyName ?? "", row.PurchaseOrderNumber ?? "",
                row.ChargeType, row.Quantity.ToString(CultureInfo.InvariantCulture),
                row.UnitPrice.ToString("0.00##", CultureInfo.InvariantCulture), row.Amount.ToString("0.00", CultureInfo.InvariantCulture),
                row.Currency, row.PriceSource,
            ]);
        }
        await csv.FlushAsync(ct);
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static async Task WriteXlsxAsync(IEnumerable<ReportExportRow> rows, Stream stream, CancellationToken ct)
    {
        await using var spreadsheet = await Spreadsheet.CreateNewAsync(stream, cancellationToken: ct);
        var options = new WorksheetOptions { FrozenRows = 1 };
        foreach (var (column, width) in new[] { (1, 12d), (2, 12d), (3, 12d), (4, 28d), (5, 30d), (6, 38d), (7, 30d), (8, 34d), (9, 22d), (10, 14d), (11, 11d), (12, 9d), (13, 11d), (14, 12d), (15, 9d), (16, 12d) })
        {
            options.Column(column).Width = width;
        }
        await spreadsheet.StartWorksheetAsync("Billing", options, ct);
        var header = spreadsheet.AddStyle(new Style { Font = { Bold = true } });
        var date = spreadsheet.AddStyle(new Style { Format = NumberFormat.Custom("yyyy-mm-dd") });
        var money = spreadsheet.AddStyle(new Style { Format = NumberFormat.Standard(StandardNumberFormat.TwoDecimalPlaces) });

        await spreadsheet.AddRowAsync(Headers.Select(h => new Cell(h, header)).ToArray(), ct);
        var cells = new Cell[Headers.Length];
        foreach (var row in rows)
        {
            cells[0] = new Cell(row.BillingDate.ToDateTime(TimeOnly.MinValue), date);
            cells[1] = new Cell(row.PeriodStart.ToDateTime(TimeOnly.MinValue), date);
            cells[2] = new Cell(row.PeriodEnd.ToDateTime(TimeOnly.MinValue), date);
            cells[3] = new Cell(row.Customer);
            cells[4] = new Cell(row.TenantDomain);
            cells[5] = new Cell(row.SubscriptionId);
            cells[6] = new Cell(row.OfferId);
            cells[7] = new Cell(row.ProductName);
            cells[8] = new Cell(row.FriendlyName);
            cells[9] = new Cell(row.PurchaseOrderNumber);
            cells[10] = new Cell(row.ChargeType);
            cells[11] = new Cell(row.Quantity);
            cells[12] = new Cell(row.UnitPrice, money);
            cells[13] = new Cell(row.Amount, money);
            cells[14] = new Cell(row.Currency);
            cells[15] = new Cell(row.PriceSource);
            await spreadsheet.AddRowAsync(cells, ct);
        }
        await spreadsheet.FinishAsync(ct);
    }
}
