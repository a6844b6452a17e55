using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Organizations;
using Skyport.Web;

namespace Skyport.Features.Billing.Reports;

public static class BillingReportEndpoints
{
    public static RouteGroupBuilder MapBillingReports(this RouteGroupBuilder api)
    {
        var customer = api.MapGroup("/customers/{id}/billing/reports")
            .RequireOrganizationAccess("id", OrganizationKind.Customer)
            .WithTags("Billing");

        customer.MapGet("/", async Task<Results<Ok<CustomerReportsDto>, ProblemHttpResult>> (
            Guid id, string? from, string? to, BillingReports reports, CancellationToken ct) =>
        {
            var range = reports.Range(from, to, await reports.CycleEndDayAsync(id, ct));
            if (!range.Succeeded)
            {
                return range.Failure!.ToProblem();
            }
            return (await reports.ForCustomerAsync(id, range.Value.From, range.Value.To, ct)).ToHttp();
        });

        customer.MapGet("/export", async Task<Results<FileStreamHttpResult, ProblemHttpResult>> (
            Guid id, string? from, string? to, string? format, BillingReports reports, SkyportDbContext db, CancellationToken ct) =>
        {
            if (Format(format) is not { } exportFormat)
            {
                return Failure.Invalid("format", "The format is csv or xlsx.").ToProblem();
            }
            var range = reports.Range(from, to, await reports.CycleEndDayAsync(id, ct));
            if (!range.Succeeded)
            {
                return range.Failure!.ToProblem();
            }
            var outcome = await reports.ForCustomerAsync(id, range.Value.From, range.Value.To, ct);
            if (!outcome.Succeeded)
            {
                return outcome.Failure!.ToProblem();
            }
            var name = await db.Organizations.Where(o => o.Id == id).Select(o => o.Name).SingleAsync(ct);
            var domain = await db.O365Services.Where(s => s.OrganizationId == id).Select(s => s.Domain).SingleOrDefaultAsync(ct);
            return await FileAsync(BillingReports.Rows(BillingReports.AsReseller(outcome.Value!, id, name, domain)), exportFormat, "customer", range.Value, ct);
        });

        var reseller = api.MapGroup("/organizations/{resellerId}/billing/reports")
            .RequireOrganizationAccess("resellerId", OrganizationKind.Reseller)
            .WithTags("Billing");

        reseller.MapGet("/", async Task<Results<Ok<ResellerReportsDto>, ProblemHttpResult>> (
            Guid resellerId, string? from, string? to, BillingReports reports, CancellationToken ct) =>
        {
            var range = reports.Range(from, to, await reports.CycleEndDayAsync(resellerId, ct));
            if (!range.Succeeded)
            {
                return range.Failure!.ToProblem();
            }
            return (await reports.ForResellerAsync(resellerId, range.Value.From, range.Value.To, null, ct)).ToHttp();
        });

        reseller.MapGet("/export", async Task<Results<FileStreamHttpResult, ProblemHttpResult>> (
            Guid resellerId, string? from, string? to, string? format, BillingReports reports, CancellationToken ct) =>
        {
            if (Format(format) is not { } exportFormat)
            {
                return Failure.Invalid("format", "The format is csv or xlsx.").ToProblem();
            }
            var range = reports.Range(from, to, await reports.CycleEndDayAsync(resellerId, ct));
            if (!range.Succeeded)
            {
                return range.Failure!.ToProblem();
            }
            var outcome = await reports.ForResellerAsync(resellerId, range.Value.From, range.Value.To, null, ct);
            return outcome.Succeeded
                ? await FileAsync(BillingReports.Rows(outcome.Value!), exportFormat, "reseller", range.Value, ct)
                : outcome.Failure!.ToProblem();
        });
        return api;
    }

    public static ExportFormat? Format(string? format) => format?.ToLowerInvariant() switch
    {
        null or "" or "csv" => ExportFormat.Csv,
        "xlsx" => ExportFormat.Xlsx,
        _ => null,
    };

    public static async Task<FileStreamHttpResult> FileAsync(IEnumerable<ReportExportRow> rows, ExportFormat format, string scope, (Rating.BillingMonth From, Rating.BillingMonth To) range, CancellationToken ct)
    {
        var stream = new MemoryStream();
        await ReportExport.WriteAsync(rows, stream, format, ct);
        stream.Position = 0;
        return TypedResults.File(stream, ReportExport.ContentType(format), ReportExport.FileName(scope, range.From.ToString(), range.To.ToString(), format));
    }
}
