using System.Globalization;
using System.IO.Compression;
using CsvHelper;

namespace Skyport.PartnerCenter;

/// <summary>
/// The price sheet Partner Center sent, kept in a temporary file (Microsoft's is large) and read row by row with CsvHelper.
/// The file is a CSV, or a zip holding the CSV when it was asked for with <c>Accept-Encoding: deflate</c> (get-a-price-sheet).
/// </summary>
public sealed class PriceSheetFile : IAsyncDisposable
{
    private static readonly string[] Required = ["ProductId", "SkuId", "TermDuration", "BillingPlan", "Market", "Currency", "UnitPrice"];
    private static readonly string[] DateFormats = ["M/d/yyyy h:mm:ss tt", "M/d/yyyy"];

    private readonly FileStream _file;

    private PriceSheetFile(FileStream file) => _file = file;

    public static async Task<PriceSheetFile> SaveAsync(Stream body, CancellationToken ct)
    {
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await body.CopyToAsync(file, ct);
            return new PriceSheetFile(file);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    /// <summary>The rows, read as they are enumerated. A file that is not a price sheet throws <see cref="InvalidDataException"/>.</summary>
    public IEnumerable<PriceSheetRow> Rows()
    {
        _file.Position = 0;
        using var zip = IsZip() ? new ZipArchive(_file, ZipArchiveMode.Read, leaveOpen: true) : null;
        var entry = zip?.Entries.FirstOrDefault(e => e.Name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) ?? zip?.Entries.FirstOrDefault();
        if (zip is not null && entry is null) throw new InvalidDataException("The compressed price sheet holds no file.");
        using var entryStream = entry?.Open();
        // Leaves the temporary file open: closing it deletes it.
        using var csv = CsvReader.Create(entryStream ?? _file, CsvReaderOptions.Default with { TrackLineNumbers = true, SkipEmptyLines = true }, leaveOpen: true);
        csv.ReadHeader();
        if (csv.Headers.Count == 0)
        {
            throw new InvalidDataException("The price sheet is empty.");
        }
        var missing = Required.Where(h => !csv.Headers.Contains(h)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"The price sheet has no column {string.Join(", ", missing)}.");
        }
        while (csv.Read())
        {
            var price = csv.GetString("UnitPrice");
            if (!decimal.TryParse(price, NumberStyles.Number, CultureInfo.InvariantCulture, out var unitPrice))
            {
                throw new InvalidDataException($"Line {csv.LineNumber} of the price sheet: the UnitPrice \"{price}\" is not a number.");
            }
            var startText = csv.Headers.Contains("EffectiveStartDate") ? csv.GetString("EffectiveStartDate") : "";
            DateTime? start = DateTime.TryParseExact(startText, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d) ? d : null;
            yield return new PriceSheetRow(csv.GetString("ProductId"), csv.GetString("SkuId"), csv.GetString("TermDuration"), csv.GetString("BillingPlan"),
                csv.GetString("Market"), csv.GetString("Currency"), unitPrice, start);
        }
    }

    private bool IsZip()
    {
        Span<byte> head = stackalloc byte[4];
        var read = _file.Read(head);
        _file.Position = 0;
        return read == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }

    public ValueTask DisposeAsync() => _file.DisposeAsync();
}
