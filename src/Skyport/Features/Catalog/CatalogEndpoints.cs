using Microsoft.AspNetCore.Http.HttpResults;
using Skyport.Features.Organizations;
using Skyport.Web;

namespace Skyport.Features.Catalog;

public static class CatalogEndpoints
{
    public sealed record CatalogImportDto(int Offers, int CostPrices, DateTimeOffset ImportedAt);

    public static RouteGroupBuilder MapCatalogAndPriceLists(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/catalog").RequireAuthorization(Policies.Broker).WithTags("Catalog");
        admin.MapGet("/offers", async (CatalogQueries catalog, CancellationToken ct) => TypedResults.Ok(await catalog.AllOffersAsync(ct)));
        admin.MapPut("/offers/visibility", async Task<Results<Ok<CatalogOfferAdminDto>, ProblemHttpResult>> (OfferVisibilityRequest request, CatalogQueries catalog, CancellationToken ct) =>
            (await catalog.SetVisibilityAsync(request, ct)).ToHttp());
        admin.MapGet("/groups", async (CatalogQueries catalog, CancellationToken ct) => TypedResults.Ok(await catalog.GroupsAsync(ct)));
        admin.MapPut("/groups", async Task<Results<Ok<CatalogGroupDto>, ProblemHttpResult>> (RenameGroupRequest request, CatalogQueries catalog, CancellationToken ct) =>
            (await catalog.RenameAsync(request, ct)).ToHttp());
        admin.MapPost("/import", async Task<Results<Ok<CatalogImportDto>, ProblemHttpResult>> (ImportCatalog import, CancellationToken ct) =>
        {
            Outcome<CatalogImportResult> result;
            try
            {
                result = await import.RunAsync(ct);
            }
            catch (Exception exception) when (Skyport.PartnerCenter.PartnerCenterFailures.IsUnanswered(exception) && !ct.IsCancellationRequested)
            {
                return Failure.UpstreamFailed("Partner Center did not answer; the catalog stays as it was. Try again later.").ToProblem();
            }
            if (!result.Succeeded)
            {
                return result.Failure!.ToProblem();
            }
            return TypedResults.Ok(new CatalogImportDto(result.Value!.Offers, result.Value.CostPrices, result.Value.ImportedAt));
        });

        api.MapGroup("/customers/{id}/o365/catalog")
            .RequireOrganizationAccess("id", OrganizationKind.Customer)
            .WithTags("Catalog")
            .MapGet("/", async Task<Results<Ok<IReadOnlyList<CustomerOfferDto>>, ProblemHttpResult>> (Guid id, CatalogQueries catalog, CancellationToken ct) =>
                (await catalog.ForCustomerAsync(id, ct)).ToHttp());

        var priceLists = api.MapGroup("/price-lists").WithTags("Price lists");
        priceLists.MapGet("/global", async Task<Results<Ok<PriceListDto>, ProblemHttpResult>> (PriceListService lists, CancellationToken ct) =>
            (await lists.GetAsync(null, ct)).ToHttp());
        priceLists.MapPut("/global", async Task<Results<Ok<PriceListDto>, ProblemHttpResult>> (PriceListRequest request, PriceListService lists, CancellationToken ct) =>
            (await lists.ReplaceAsync(null, request, ct)).ToHttp());
        priceLists.MapGet("/global/csv", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (PriceListService lists, CancellationToken ct) =>
            Csv(await lists.ExportCsvAsync(null, ct), "global-price-list.csv"));
        priceLists.MapPut("/global/csv", async Task<Results<Ok<PriceListDto>, ProblemHttpResult>> (HttpRequest request, PriceListService lists, CancellationToken ct, bool replaceWithEmpty = false) =>
            (await lists.ImportCsvAsync(null, request.Body, replaceWithEmpty, ct)).ToHttp());

        var customer = api.MapGroup("/customers/{id}/price-list")
            .RequireOrganizationAccess("id", OrganizationKind.Customer)
            .WithTags("Price lists");
        customer.MapGet("/", async Task<Results<Ok<PriceListDto>, ProblemHttpResult>> (Guid id, PriceListService lists, CancellationToken ct) =>
            (await lists.GetAsync(id, ct)).ToHttp());
        customer.MapPut("/", async Task<Results<Ok<PriceListDto>, ProblemHttpResult>> (Guid id, PriceListRequest request, PriceListService lists, CancellationToken ct) =>
            (await lists.ReplaceAsync(id, request, ct)).ToHttp());
        customer.MapGet("/csv", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (Guid id, PriceListService lists, CancellationToken ct) =>
            Csv(await lists.ExportCsvAsync(id, ct), "customer-price-list.csv"));
        customer.MapPut("/csv", async Task<Results<Ok<PriceListDto>, ProblemHttpResult>> (Guid id, HttpRequest request, PriceListService lists, CancellationToken ct, bool replaceWithEmpty = false) =>
            (await lists.ImportCsvAsync(id, request.Body, replaceWithEmpty, ct)).ToHttp());
        return api;
    }

    private static Results<FileContentHttpResult, ProblemHttpResult> Csv(Outcome<string> outcome, string fileName) =>
        outcome.Succeeded
            ? TypedResults.File(System.Text.Encoding.UTF8.GetBytes(outcome.Value!), "text/csv", fileName)
            : outcome.Failure!.ToProblem();
}
