using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Organizations;
using Skyport.Web;

namespace Skyport.Features.Renewals;

public sealed class RenewalsPageModel(RenewalsQuery query, SkyportDbContext db) : PageModel
{
    public static readonly int[] Windows = [7, 30, 90];

    public sealed record Choice(Guid Id, string Label);

    [BindProperty(SupportsGet = true)] public Guid? Org { get; set; }
    [BindProperty(SupportsGet = true)] public int Days { get; set; } = RenewalEndpoints.DefaultDays;

    public IReadOnlyList<Choice> Choices { get; private set; } = [];
    public IReadOnlyList<RenewalAhead> Renewals { get; private set; } = [];
    public DateOnly Today { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct) => await LoadAsync(ct)
        ? File(Encoding.UTF8.GetBytes(await RenewalsCsv.WriteAsync(Renewals)), "text/csv", RenewalsCsv.FileName(Today, Days))
        : NotFound();

    public string ExportUrl => Url.Page("/Renewals/Index", "Export", new { Org, Days })!;

    public static string Money(decimal value) => value.ToString("#,0.00", CultureInfo.InvariantCulture);

    /// <summary>Totals per currency: a broker's resellers may bill in different ones.</summary>
    public IEnumerable<(string Currency, decimal Before, decimal After)> Totals =>
        Renewals.GroupBy(r => r.Currency).OrderBy(g => g.Key).Select(g => (g.Key, g.Sum(r => r.MonthlyBefore), g.Sum(r => r.MonthlyAfter)));

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        // The query filter keeps the caller inside its subtree; the first organization is the caller's own.
        var visible = await db.Organizations.AsNoTracking().OrderBy(o => o.Path.Length).ThenBy(o => o.Name).ToListAsync(ct);
        Choices = [.. visible.Select(o => new Choice(o.Id, o.Kind switch
        {
            OrganizationKind.Broker => $"{o.Name} (everything)",
            OrganizationKind.Reseller => $"{o.Name} (all customers)",
            _ => o.Name,
        }))];
        var org = Org is { } chosen ? visible.FirstOrDefault(o => o.Id == chosen) : visible.FirstOrDefault();
        if (org is null)
        {
            return false;
        }
        Org = org.Id;
        if (RenewalEndpoints.Days(Days.ToString(CultureInfo.InvariantCulture)) is null)
        {
            ModelState.AddModelError(nameof(Days), $"Choose from 1 to {RenewalsAhead.MaxDays} days ahead.");
            Days = RenewalEndpoints.DefaultDays;
        }
        Today = query.Today;
        Renewals = await query.WithinAsync(org.Path, Days, ct);
        return true;
    }
}
