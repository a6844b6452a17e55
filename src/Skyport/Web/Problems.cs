using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Skyport.Web;

/// <summary>Maps expected failures to HTTP problem details and to form errors, each in one place.</summary>
public static class Problems
{
    public static ProblemHttpResult ToProblem(this Failure failure)
    {
        if (failure.Kind == FailureKind.Invalid && failure.Errors is { } errors)
        {
            return TypedResults.Problem(WithExtensions(new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value))
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "One or more fields are invalid.",
                Detail = failure.Detail,
                Type = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
            }, failure));
        }

        var (status, title) = failure.Kind switch
        {
            FailureKind.NotFound => (StatusCodes.Status404NotFound, "Not found"),
            FailureKind.Conflict => (StatusCodes.Status409Conflict, "Conflict"),
            FailureKind.RuleRefused => (StatusCodes.Status422UnprocessableEntity, "Refused by a business rule"),
            FailureKind.Forbidden => (StatusCodes.Status403Forbidden, "Forbidden"),
            FailureKind.UpstreamFailed => (StatusCodes.Status503ServiceUnavailable, "Partner Center is unavailable"),
            FailureKind.Unauthenticated => (StatusCodes.Status401Unauthorized, "Unauthenticated"),
            FailureKind.TooLarge => (StatusCodes.Status413PayloadTooLarge, "Request body too large"),
            _ => (StatusCodes.Status400BadRequest, "Bad request"),
        };
        return TypedResults.Problem(WithExtensions(new ProblemDetails { Status = status, Title = title, Detail = failure.Detail }, failure));
    }

    private static ProblemDetails WithExtensions(ProblemDetails problem, Failure failure)
    {
        foreach (var (name, value) in failure.Extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[name] = value;
        }
        return problem;
    }

    /// <summary>Puts a failure beside the fields of a Razor Pages form (prefix is the bound property's name).</summary>
    public static void AddFailure(this ModelStateDictionary modelState, Failure failure, string prefix = "")
    {
        if (failure.Errors is { } errors)
        {
            foreach (var (field, messages) in errors)
            {
                var key = string.IsNullOrEmpty(prefix) ? PascalPath(field) : $"{prefix}.{PascalPath(field)}";
                foreach (var message in messages)
                {
                    modelState.AddModelError(key, message);
                }
            }
            return;
        }
        modelState.AddModelError(string.Empty, failure.Detail);
    }

    // API field names are camelCase paths ("address.postalCode"); form fields are PascalCase ("Address.PostalCode").
    private static string PascalPath(string field) =>
        string.Join('.', field.Split('.').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
}
