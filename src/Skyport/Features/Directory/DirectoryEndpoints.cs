using Microsoft.AspNetCore.Http.HttpResults;
using Skyport.Features.Organizations;
using Skyport.Features.Jobs;
using Skyport.Web;
using Skyport.Web.Jobs;

namespace Skyport.Features.Directory;

public static class DirectoryEndpoints
{
    public static RouteGroupBuilder MapDirectory(this RouteGroupBuilder api)
    {
        var directory = api.MapGroup("/customers/{id}/directory/users")
            .RequireOrganizationAccess("id", OrganizationKind.Customer)
            .WithTags("Directory");

        directory.MapGet("/", async (Guid id, DirectoryPeople people, CancellationToken ct) =>
        {
            var items = await people.ListAsync(id, ct);
            return TypedResults.Ok(new Page<DirectoryPersonDto>(items, items.Count));
        });

        directory.MapPost("/", async Task<Results<Created<DirectoryPersonDto>, ProblemHttpResult>> (
            Guid id, NewDirectoryPersonRequest request, DirectoryPeople people, CancellationToken ct) =>
        {
            var outcome = await people.AddAsync(id, request, ct);
            return outcome.Succeeded
                ? TypedResults.Created($"/api/v1/customers/{id}/directory/users/{outcome.Value!.Id}", outcome.Value)
                : outcome.Failure!.ToProblem();
        }).WithIdempotency();

        var users = api.MapGroup("/customers/{id}/o365/users")
            .RequireOrganizationAccess("id", OrganizationKind.Customer)
            .WithTags("Directory");

        users.MapPost("/import", async Task<Results<Accepted<BulkJobDto>, ProblemHttpResult>> (
            Guid id, ImportUsersRequest request, ImportUsers import, CancellationToken ct) =>
                (await import.QueueAsync(id, request, ct)).ToAccepted(id)).WithIdempotency();

        users.MapPost("/export", async Task<Results<Accepted<BulkJobDto>, ProblemHttpResult>> (
            Guid id, ExportUsersRequest request, ExportUsers export, CancellationToken ct) =>
                (await export.QueueAsync(id, request, ct)).ToAccepted(id)).WithIdempotency();

        return api;
    }
}
