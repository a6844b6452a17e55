using Microsoft.AspNetCore.Http.HttpResults;
using Skyport.Web;

namespace Skyport.Features.Organizations;

public static class OrganizationEndpoints
{
    public static RouteGroupBuilder MapOrganizations(this RouteGroupBuilder api)
    {
        var organizations = api.MapGroup("/organizations").WithTags("Organizations");

        organizations.MapGet("/", async Task<Results<Ok<Page<OrganizationSummary>>, ProblemHttpResult>> (
            OrganizationQueries queries, int? page, int? pageSize, CancellationToken ct) =>
        {
            if (Paging.Check(page, pageSize) is { } failure)
            {
                return failure.ToProblem();
            }
            return TypedResults.Ok(await queries.ListAsync(page ?? 1, pageSize ?? Paging.DefaultSize, ct));
        });

        organizations.MapPost("/", async Task<Results<Created<OrganizationDetails>, ProblemHttpResult>> (
            CreateOrganizationRequest request, CreateOrganization create, CancellationToken ct) =>
        {
            var outcome = await create.RunAsync(request, ct);
            return outcome.Succeeded
                ? TypedResults.Created($"/api/v1/organizations/{outcome.Value!.Id}", outcome.Value)
                : outcome.Failure!.ToProblem();
        }).WithIdempotency();

        var one = organizations.MapGroup("/{id}").RequireOrganizationAccess("id");

        one.MapGet("/", async Task<Results<Ok<OrganizationDetails>, ProblemHttpResult>> (Guid id, OrganizationQueries queries, CancellationToken ct) =>
            await queries.GetAsync(id, ct) is { } organization
                ? TypedResults.Ok(organization)
                : Failure.NotFound("The organization").ToProblem());

        one.MapPut("/properties", async Task<Results<Ok<OrganizationDetails>, ProblemHttpResult>> (
            Guid id, PropertiesRequest request, UpdateProperties update, CancellationToken ct) =>
            (await update.RunAsync(id, request, ct)).ToHttp());

        one.MapPut("/billing", async Task<Results<Ok<OrganizationDetails>, ProblemHttpResult>> (
            Guid id, BillingRequest request, UpdateBilling update, CancellationToken ct) =>
            (await update.RunAsync(id, request, ct)).ToHttp());

        return api;
    }
}
