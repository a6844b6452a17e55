using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace Skyport.Web;

/// <summary>
/// Every API error is RFC 7807 problem details with a title and a detail, also those that no endpoint wrote: an
/// unknown path or a value that is not an id (route constraints answer 404 before any handler), a wrong method,
/// a missing sign-in, the rate limiter's 429.
/// </summary>
public static class ProblemDetailsSetup
{
    public static IServiceCollection AddSkyportProblemDetails(this IServiceCollection services) =>
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var http = context.HttpContext;
            context.ProblemDetails.Extensions["traceId"] = System.Diagnostics.Activity.Current?.Id ?? http.TraceIdentifier;
            context.ProblemDetails.Instance ??= http.Request.Path;
            context.ProblemDetails.Detail ??= DefaultDetail(http, context.ProblemDetails.Status ?? http.Response.StatusCode);
        });

    private static string DefaultDetail(HttpContext context, int status) => status switch
    {
        StatusCodes.Status400BadRequest => "The request cannot be read.",
        StatusCodes.Status401Unauthorized => "Sign in, or send an API key as 'Authorization: Bearer <key>'.",
        StatusCodes.Status403Forbidden => "Your role does not allow this.",
        StatusCodes.Status404NotFound when context.GetEndpoint() is null =>
            $"Nothing is at {Shorten(context.Request.Path)}. Check the path; ids in it are GUIDs, such as 3fa85f64-5717-4562-b3fc-2c963f66afa6.",
        StatusCodes.Status404NotFound => "It was not found.",
        StatusCodes.Status405MethodNotAllowed => $"{context.Request.Method} is not allowed on {Shorten(context.Request.Path)}.",
        StatusCodes.Status406NotAcceptable or StatusCodes.Status415UnsupportedMediaType => "Send and accept JSON (application/json).",
        StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
        StatusCodes.Status429TooManyRequests => "Too many requests. Wait as long as Retry-After says, then try again.",
        _ => context.Features.Get<IHttpResponseFeature>()?.ReasonPhrase ?? ReasonPhrases.GetReasonPhrase(status),
    };

    /// <summary>A value from the request, cut short enough to show in a message.</summary>
    public static string Shorten(string? value, int length = 100) =>
        value is null ? "" : value.Length <= length ? value : value[..length] + "…";
}
