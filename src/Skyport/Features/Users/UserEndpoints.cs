using Microsoft.AspNetCore.Http.HttpResults;
using Skyport.Features.Organizations;
using Skyport.Features.Jobs;
using Skyport.Web;
using Skyport.Web.Jobs;

namespace Skyport.Features.Users;

public static class UserEndpoints
{
    public static RouteGroupBuilder MapUsers(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/customers/{id}/o365/users")
            .RequireOrganizationAccess("id", OrganizationKind.Customer)
            .WithTags("O365 users");

        users.MapGet("/", async Task<Results<Ok<Page<TenantUserDto>>, ProblemHttpResult>> (
            Guid id, string? search, int? page, int? pageSize, TenantUsers list, CancellationToken ct) =>
        {
            if (Paging.Check(page, pageSize) is { } invalid)
            {
                return invalid.ToProblem();
            }
            var service = await list.ServiceAsync(id, ct);
            return service.Succeeded
                ? TypedResults.Ok(await list.ListAsync(id, search, page ?? 1, pageSize ?? Paging.DefaultSize, ct))
                : service.Failure!.ToProblem();
        });

        users.MapPost("/", async Task<Results<Created<TenantUserDto>, ProblemHttpResult>> (
            Guid id, NewTenantUserRequest request, CreateTenantUser create, CancellationToken ct) =>
        {
            var outcome = await create.RunAsync(id, request, ct);
            return outcome.Succeeded
                ? TypedResults.Created($"/api/v1/customers/{id}/o365/users/{outcome.Value!.User.Id}", outcome.Value.User)
                : outcome.Failure!.ToProblem();
        }).WithIdempotency();

        users.MapPost("/subscribe", async Task<Results<Accepted<BulkJobDto>, ProblemHttpResult>> (
            Guid id, LicenseRequest request, AssignLicenses licenses, CancellationToken ct) =>
                (await licenses.QueueAsync(id, request, subscribe: true, ct)).ToAccepted(id)).WithIdempotency();

        users.MapPost("/unsubscribe", async Task<Results<Accepted<BulkJobDto>, ProblemHttpResult>> (
            Guid id, LicenseRequest request, AssignLicenses licenses, CancellationToken ct) =>
                (await licenses.QueueAsync(id, request, subscribe: false, ct)).ToAccepted(id)).WithIdempotency();

        users.MapPatch("/{uid:guid}", async Task<Results<Ok<TenantUserDto>, ProblemHttpResult>> (
            Guid id, Guid uid, ChangeTenantUserRequest request, SetUsageLocation change, CancellationToken ct) =>
                (await change.RunAsync(id, uid, request, ct)).ToHttp());

        users.MapDelete("/{uid:guid}", async Task<Results<NoContent, ProblemHttpResult>> (
            Guid id, Guid uid, DeleteTenantUser delete, CancellationToken ct) =>
        {
            var outcome = await delete.RunAsync(id, uid, ct);
            return outcome.Succeeded ? TypedResults.NoContent() : outcome.Failure!.ToProblem();
        });

        return api;
    }
}
