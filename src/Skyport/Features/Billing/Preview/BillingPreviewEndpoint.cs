using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Skyport.Features.Billing.Rating;

namespace Skyport.Features.Billing.Preview;

public static class BillingPreviewEndpoint
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Maps <c>POST /billing/preview</c> onto the API group (e.g. <c>/api/v1</c>, signed-in users).</summary>
    public static RouteGroupBuilder MapBillingPreview(this RouteGroupBuilder api)
    {
        api.MapPost("/billing/preview", Preview)
            .WithName("PreviewBilling")
            .WithSummary("Rates a self-contained billing scenario and returns its reports without storing anything.")
            .Accepts<BillingPreviewRequest>("application/json")
            .Produces<BillingPreviewResponse>()
            .ProducesValidationProblem();
        return api;
    }

    // The body is read here rather than bound, so that a malformed field is named in the problem details.
    internal static async Task<Results<Ok<BillingPreviewResponse>, ValidationProblem>> Preview(
        HttpRequest request,
        CancellationToken cancellationToken)
    {
        BillingPreviewRequest? scenario;
        try
        {
            scenario = await JsonSerializer.DeserializeAsync<BillingPreviewRequest>(request.Body, Json, cancellationToken);
        }
        catch (JsonException exception)
        {
            var field = exception.Path is { Length: > 2 } path ? path[2..] : "request";
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { [field] = ["This value is not valid JSON of the expected type."] },
                title: "The billing scenario is not valid JSON.");
        }

        return Run(scenario);
    }

    internal static Results<Ok<BillingPreviewResponse>, ValidationProblem> Run(BillingPreviewRequest? scenario) =>
        BillingScenario.TryRead(scenario, out var input, out var errors)
            ? TypedResults.Ok(BillingPreviewResponse.From(RatingEngine.Rate(input)))
            : TypedResults.ValidationProblem(errors, title: "The billing scenario is not valid.");
}
