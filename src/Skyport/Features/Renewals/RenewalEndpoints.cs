using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Skyport.Web;

namespace Skyport.Features.Renewals;

public static class RenewalEndpoints
{
    public const int DefaultDays = 30;

    public static RouteGroupBuilder MapRenewals(this RouteGroupBuilder api)
    {
        var renewals = api.MapGroup("/organizations/{id}/renewals")
            .RequireOrganizationAccess("id")
            .WithTags("Renewals");

        renewals.MapGet("/", async Task<Results<Ok<RenewalsDto>, ProblemHttpResult>> (Guid id, string? days, HttpContext http, RenewalsQuery query, CancellationToken ct) =>
        {
            if (Days(days) is not { } window)
            {
                return DaysRefused().ToProblem();
            }
            var items = await query.WithinAsync(http.Organization().Path, window, ct);
            return TypedResults.Ok(RenewalsDto.From(id, query.Today, window, items));
        });

        renewals.MapGet("/export", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (string? days, HttpContext http, RenewalsQuery query, CancellationToken ct) =>
        {
            if (Days(days) is not { } window)
            {
                return DaysRefused().ToProblem();
            }
            var items = await query.WithinAsync(http.Organization().Path, window, ct);
            return TypedResults.File(Encoding.UTF8.GetBytes(await RenewalsCsv.WriteAsync(items)), "text/csv", RenewalsCsv.FileName(query.Today, window));
        });
        return api;
    }

    /// <summary>The window asked for: 1 to 366 days, 30 when not given; null when it is not one.</summary>
    public static int? Days(string? days) => string.IsNullOrWhiteSpace(days)
        ? DefaultDays
        : int.TryParse(days, out var value) && value is >= 1 and <= RenewalsAhead.MaxDays ? value : null;

    private static Failure DaysRefused() => Failure.Invalid("days", $"The number of days ahead is a whole number from 1 to {RenewalsAhead.MaxDays}.");
}
