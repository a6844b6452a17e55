using Microsoft.AspNetCore.Http.HttpResults;

namespace Skyport.Web;

public static class Http
{
    public static Results<Ok<T>, ProblemHttpResult> ToHttp<T>(this Outcome<T> outcome) =>
        outcome.Succeeded ? TypedResults.Ok(outcome.Value!) : outcome.Failure!.ToProblem();
}

public static class Paging
{
    public const int DefaultSize = 50;
    public const int MaxSize = 500;

    public static Failure? Check(int? page, int? pageSize)
    {
        var errors = new Dictionary<string, string[]>();
        if (page is < 1)
        {
            errors["page"] = ["Pages start at 1."];
        }
        if (pageSize is < 1 or > MaxSize)
        {
            errors["pageSize"] = [$"The page size must be between 1 and {MaxSize}."];
        }
        else if (page is > 1 && (long)(page.Value - 1) * (pageSize ?? DefaultSize) > int.MaxValue)
        {
            errors["page"] = ["There is no such page."];
        }
        return errors.Count > 0 ? Failure.Invalid(errors) : null;
    }
}
