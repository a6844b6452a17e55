using Microsoft.AspNetCore.Http.HttpResults;
using Skyport.Features.Organizations;
using Skyport.Web;
using Skyport.Web.Jobs;

namespace Skyport.Features.Jobs;

public static class JobEndpoints
{
    public static string ApiPath(Guid customerId, Guid jobId) => $"/api/v1/customers/{customerId}/o365/jobs/{jobId}";

    public static string PagePath(Guid customerId, Guid jobId) => $"/my-services/o365/{customerId}/jobs/{jobId}";

    public static RouteGroupBuilder MapJobs(this RouteGroupBuilder api)
    {
        var jobs = api.MapGroup("/customers/{id}/o365/jobs")
            .RequireOrganizationAccess("id", OrganizationKind.Customer)
            .WithTags("Jobs");

        jobs.MapGet("/{jobId:guid}", async Task<Results<Ok<BulkJobDto>, ProblemHttpResult>> (Guid id, Guid jobId, BulkJobs found, CancellationToken ct) =>
            await found.FindAsync(id, jobId, ct) is { } job ? TypedResults.Ok(job) : Failure.NotFound("The job").ToProblem());

        return api;
    }

    /// <summary>A queued job answers 202 with the job, and where to follow it.</summary>
    public static Results<Accepted<BulkJobDto>, ProblemHttpResult> ToAccepted(this Outcome<BulkJobDto> outcome, Guid customerId) =>
        outcome.Succeeded
            ? TypedResults.Accepted(ApiPath(customerId, outcome.Value!.Id), outcome.Value)
            : outcome.Failure!.ToProblem();
}
