using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Skyport.Web;

/// <summary>The one handler for unexpected exceptions: logs them, answers problem details to the API and a page to people.</summary>
public sealed class SkyportExceptionHandler(IProblemDetailsService problems, ILogger<SkyportExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", bad.Message),
            Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException => (StatusCodes.Status409Conflict, "Conflict", "Someone else changed this at the same time. Reload it and try again."),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => (499, "Client closed the request", "The request was cancelled."),
            _ => (StatusCodes.Status500InternalServerError, "Unexpected error", "Something went wrong on our side. The trace id identifies it in the logs."),
        };
        if (status >= 500)
        {
            logger.LogError(exception, "Unhandled exception on {Method} {Path}", context.Request.Method, context.Request.Path);
        }
        else
        {
            logger.LogInformation("Bad request on {Method} {Path}: {Message}", context.Request.Method, context.Request.Path, exception.Message);
        }

        context.Response.StatusCode = status;
        if (!IsApi(context.Request))
        {
            context.Response.Redirect($"{context.Request.PathBase}/status/{status}?traceId={Activity.Current?.Id ?? context.TraceIdentifier}");
            return true;
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = UnreadableField(exception) is { } field
                ? new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = ["This value has the wrong type or format."] })
                {
                    Status = status,
                    Title = "One or more fields are invalid.",
                    Detail = detail,
                    Type = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
                }
                : new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>
    /// The field of a JSON body the binder could not read ("$.properties.address.country" is
    /// "properties.address.country", as the validation rules name it); null when the body as a whole is unreadable.
    /// </summary>
    public static string? UnreadableField(Exception exception) =>
        exception is BadHttpRequestException { InnerException: System.Text.Json.JsonException { Path: { Length: > 2 } path } } && path.StartsWith("$.", StringComparison.Ordinal)
            ? path[2..]
            : null;

    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/openapi");
}
