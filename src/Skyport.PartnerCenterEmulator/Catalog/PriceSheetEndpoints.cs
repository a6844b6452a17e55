using System.IO.Compression;
using System.Text.RegularExpressions;
using Skyport.PartnerCenterEmulator.Core;

namespace Skyport.PartnerCenterEmulator.Catalog;

/// <summary>
/// The Partner API's price sheet download, <c>GET /v1.0/sales/pricesheets(Market='{market}',PricesheetView='{view}')/$value</c>
/// (partner-center/developer/get-a-price-sheet). Microsoft serves it on api.partner.microsoft.com; the emulator on its own address.
/// </summary>
public static partial class PriceSheetEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/v1.0/sales/{resource}/$value", (string resource, HttpContext http, EmulatorClock clock) =>
        {
            if (SheetKey().Match(resource) is not { Success: true } key)
            {
                return Errors.Pc(404, 1000, "Not found", "No such Partner API resource.");
            }
            var market = key.Groups["market"].Value;
            var view = key.Groups["view"].Value;
            if (!view.Equals(PriceSheet.LicenseBasedView, StringComparison.OrdinalIgnoreCase))
            {
                return PriceSheet.OtherViews.Contains(view, StringComparer.OrdinalIgnoreCase)
                    ? Errors.Pc(404, 1000, $"The {view} price sheet is not available.", "PricesheetView")
                    : Invalid($"The PricesheetView '{view}' is not valid.", "PricesheetView");
            }
            if (market.Length != 2 || !PriceSheet.IsMarket(market))
            {
                return Invalid($"The market '{market}' is not valid.", "Market");
            }
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            var month = new DateOnly(today.Year, today.Month, 1);
            var timeline = http.Request.Query["timeline"].ToString().ToLowerInvariant();
            var requestedMonth = http.Request.Query["month"].ToString();
            switch (timeline)
            {
                case "" or "current" when requestedMonth.Length == 0:
                    break;
                case "history" when DateOnly.TryParseExact(requestedMonth + "01", "yyyyMMdd", out var past) && past <= month:
                    month = past;
                    break;
                case "history":
                    return Invalid("The month must be YYYYMM and not in the future.", "month");
                case "future" when requestedMonth.Length == 0:
                    // The emulator's prices never change, so there is no future sheet (Microsoft answers 404 then).
                    return Errors.Pc(404, 1000, "No future price sheet is available.", "timeline");
                default:
                    return Invalid("The timeline must be current, history (with month) or future.", "timeline");
            }
            var rows = PriceSheet.Rows(market, month);
            var compressed = http.Request.Headers.AcceptEncoding.ToString().Contains("deflate", StringComparison.OrdinalIgnoreCase);
            // The emulator's sheet is small: built in memory (Microsoft's is large; clients should stream it).
            using var file = new MemoryStream();
            if (compressed)
            {
                using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
                using (var entry = zip.CreateEntry("sheets.csv", CompressionLevel.Optimal).Open())
                {
                    PriceSheet.Write(entry, rows);
                }
            }
            else
            {
                PriceSheet.Write(file, rows);
            }
            return Results.File(file.ToArray(), "application/octet-stream", compressed ? "sheets.zip" : "sheets.csv");
        }).RequireAppUser(PartnerRoles.AdminAgent, PartnerRoles.SalesAgent); // get-a-price-sheet: "Admin Agent or Sales Agent"
    }

    // Microsoft's example's own validation error for this host is not documented; 800002 is Partner Center's "Invalid request input".
    private static IResult Invalid(string description, string field) => Errors.Pc(400, 800002, description, field);

    [GeneratedRegex(@"^pricesheets\(Market='(?<market>[^']*)',PricesheetView='(?<view>[^']*)'\)$", RegexOptions.IgnoreCase)]
    private static partial Regex SheetKey();
}
