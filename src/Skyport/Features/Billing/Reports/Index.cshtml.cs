using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Billing.Rating;
using Skyport.Features.Organizations;
using Skyport.Web;

namespace Skyport.Features.Billing.Reports;

public sealed class BillingPageModel(BillingReports billing, SkyportDbContext db) : PageModel
{
    public sealed record Choice(Guid Id, string Label);

    [BindProperty(SupportsGet = true)] public Guid? Org { get; set; }
    [BindProperty(SupportsGet = true)] public string? Range { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }

    public IReadOnlyList<Choice> Choices { get; private set; } = [];

    private (BillingMonth From, BillingMonth To) _months;
    public ResellerReportsDto? Reports { get; private set; }
    public string Chart { get; private set; } = "";
    public string Currency { get; private set; } = "";

    /// <summary>Microsoft's cost and the margin are the broker's alone.</summary>
    public bool ShowCost => Reports?.Reports.Any(r => r.Customers.Any(c => c.Subscriptions.Any(s => s.Lines.Any(l => l.Cost is not null)))) == true;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var outcome = await LoadAsync(ct);
        if (outcome is { Kind: FailureKind.NotFound })
        {
            return NotFound();
        }
        if (outcome is not null)
        {
            ModelState.AddFailure(outcome);
            return Page();
        }
        Currency = Reports!.Reports.FirstOrDefault()?.Currency ?? "";
        Chart = BarChart.Svg([.. Reports.Reports.Select(r => new BarChart.Bar(r.BillingDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.Total))], Currency, "Totals per cycle");
        return Page();
    }

    public async Task<IActionResult> OnGetExportAsync(string? format, CancellationToken ct)
    {
        var exportFormat = BillingReportEndpoints.Format(format);
        if (exportFormat is null || await LoadAsync(ct) is not null)
        {
            return NotFound();
        }
        var file = await BillingReportEndpoints.FileAsync(BillingReports.Rows(Reports!), exportFormat.Value, "report", _months, ct);
        return File(file.FileStream, file.ContentType!, file.FileDownloadName);
    }

    public string ExportUrl(string format) =>
        Url.Page("/Billing/Reports/Index", "Export", new { format, Org, Range, From, To })!;

    public string Money(decimal value) => value.ToString("#,0.00", CultureInfo.InvariantCulture);

    public static string Describe(string type) => type switch
    {
        "cycleFee" => "Cycle fee",
        "proRata" => "Pro-rata",
        "refund" => "Refund",
        "correction" => "Correction",
        _ => type,
    };

    private async Task<Failure?> LoadAsync(CancellationToken ct)
    {
        var visible = await db.Organizations.AsNoTracking().Where(o => o.Kind != OrganizationKind.Broker).OrderBy(o => o.Path.Length).ThenBy(o => o.Name).ToListAsync(ct);
        Choices = [.. visible.Select(o => new Choice(o.Id, o.Kind == OrganizationKind.Reseller ? $"{o.Name} (all customers)" : o.Name))];
        var org = Org is { } chosen ? visible.FirstOrDefault(o => o.Id == chosen) : visible.FirstOrDefault();
        if (org is null)
        {
            return Org is null ? Failure.RuleRefused("There are no resellers or customers yet.") : Failure.NotFound("The organization");
        }
        Org = org.Id;
        var custom = Range == "custom";
        var range = billing.Range(custom ? From : null, custom ? To ?? From : null, await billing.CycleEndDayAsync(org.Id, ct));
        if (!range.Succeeded)
        {
            return range.Failure;
        }
        _months = range.Value;
        (From, To) = (range.Value.From.ToString(), range.Value.To.ToString());
        if (org.Kind == OrganizationKind.Reseller)
        {
            var outcome = await billing.ForResellerAsync(org.Id, range.Value.From, range.Value.To, null, ct);
            Reports = outcome.Value;
            return outcome.Failure;
        }
        var customerReports = await billing.ForCustomerAsync(org.Id, range.Value.From, range.Value.To, ct);
        if (!customerReports.Succeeded)
        {
            return customerReports.Failure;
        }
        var domain = await db.O365Services.AsNoTracking().Where(s => s.OrganizationId == org.Id).Select(s => s.Domain).SingleOrDefaultAsync(ct);
        Reports = BillingReports.AsReseller(customerReports.Value!, org.Id, org.Name, domain);
        return null;
    }
}
