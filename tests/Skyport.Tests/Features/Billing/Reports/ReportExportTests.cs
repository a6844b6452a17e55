using System.IO.Compression;
using System.Xml.Linq;
using CsvHelper;
using Skyport.Features.Billing.Reports;

namespace Skyport.Tests.Features.Billing.Reports;

public sealed class ReportExportTests
{
    private static readonly ReportExportRow[] Rows =
    [
        new(new DateOnly(2025, 4, 16), new DateOnly(2025, 3, 16), new DateOnly(2025, 4, 15), "Northwind Traders", "northwind.onmicrosoft.com",
            "sub-1", "CFQ7TTC0LH18:0001:CFQ7TTC0LH18", "Microsoft 365 Business Basic", "Sales, \"EU\" team", "PO-77", "cycleFee", 10, 12.50m, 125.00m, "EUR", "global"),
        new(new DateOnly(2025, 4, 16), new DateOnly(2025, 3, 20), new DateOnly(2025, 4, 15), "Northwind Traders", "northwind.onmicrosoft.com",
            "sub-1", "CFQ7TTC0LH18:0001:CFQ7TTC0LH18", "Microsoft 365 Business Basic", null, null, "refund", 2, 12.50m, -20.16m, "EUR", "customer"),
    ];

    [Fact]
    public async Task Csv_has_one_row_per_line_with_every_column_and_reads_back_with_csvhelper()
    {
        using var stream = new MemoryStream();
        await ReportExport.WriteCsvAsync(Rows, stream, CancellationToken.None);

        var bytes = stream.ToArray();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        stream.Position = 0;
        await using var reader = CsvReader.Create(stream, CsvReaderOptions.Default, true);
        var records = new List<string[]>();
        while (await reader.ReadAsync())
        {
            records.Add([.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetString)]);
        }
        var header = reader.Headers?.ToArray() ?? records[0];
        var data = reader.Headers is null ? records.Skip(1).ToList() : records;
        Assert.Equal(ReportExport.Headers, header);
        Assert.Equal(2, data.Count);
        Assert.Equal("2025-04-16", data[0][0]);
        Assert.Equal("Sales, \"EU\" team", data[0][8]);
        Assert.Equal("125.00", data[0][13]);
        Assert.Equal("-20.16", data[1][13]);
        Assert.Equal("refund", data[1][10]);
        Assert.Equal("customer", data[1][15]);
    }

    [Fact]
    public async Task Excel_keeps_dates_as_dates_and_amounts_as_numbers()
    {
        using var stream = new MemoryStream();
        await ReportExport.WriteXlsxAsync(Rows, stream, CancellationToken.None);

        stream.Position = 0;
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
        var sheet = XDocument.Load(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open());
        var styles = XDocument.Load(zip.GetEntry("xl/styles.xml")!.Open());
        XNamespace ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        var rows = sheet.Descendants(ns + "row").ToList();
        Assert.Equal(3, rows.Count);

        var cells = rows[1].Elements(ns + "c").ToList();
        Assert.Equal(16, cells.Count);
        // A date cell is a number (days since 1900) with a style whose format is a date.
        Assert.Null(cells[0].Attribute("t"));
        Assert.Equal(new DateTime(2025, 4, 16).ToOADate().ToString(System.Globalization.CultureInfo.InvariantCulture), cells[0].Element(ns + "v")!.Value);
        Assert.Contains(styles.Descendants(ns + "numFmt"), f => f.Attribute("formatCode")!.Value == "yyyy-mm-dd");
        // Amounts are numbers, not text.
        Assert.Null(cells[13].Attribute("t"));
        Assert.Equal(125.00m, decimal.Parse(cells[13].Element(ns + "v")!.Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(-20.16m, decimal.Parse(rows[2].Elements(ns + "c").ElementAt(13).Element(ns + "v")!.Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("10", cells[11].Element(ns + "v")!.Value);
    }
}

public sealed class BarChartTests
{
    [Fact]
    public void Each_cycle_has_a_bar_proportional_to_its_total_and_its_figure_as_text()
    {
        var svg = XDocument.Parse(BarChart.Svg([new("2025-02", 100m), new("2025-03", 250.5m), new("2025-04", 0m)], "EUR", "Totals per cycle"));
        XNamespace ns = "http://www.w3.org/2000/svg";

        var bars = svg.Descendants(ns + "rect").ToList();
        Assert.Equal(3, bars.Count);
        var heights = bars.Select(b => int.Parse(b.Attribute("height")!.Value)).ToList();
        Assert.Equal(160, heights[1]);
        Assert.Equal(64, heights[0]);
        Assert.Equal(0, heights[2]);
        var texts = svg.Descendants(ns + "text").Select(t => t.Value).ToList();
        Assert.Contains("250.50", texts);
        Assert.Contains("2025-03", texts);
        Assert.Equal("img", svg.Root!.Attribute("role")!.Value);
        Assert.Contains("2025-03 250.50 EUR", svg.Root.Attribute("aria-label")!.Value);
    }

    [Fact]
    public void An_empty_range_still_renders_a_described_chart()
    {
        var svg = XDocument.Parse(BarChart.Svg([], "EUR", "Totals per cycle"));
        Assert.Contains("no reports", svg.Root!.Attribute("aria-label")!.Value);
    }
}
