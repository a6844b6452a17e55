namespace Skyport.Web;

/// <summary>The closed set of expected failures a use case can report.</summary>
public enum FailureKind
{
    NotFound,
    Conflict,
    Invalid,
    RuleRefused,
    Forbidden,
    UpstreamFailed,
    /// <summary>The caller did not prove who it is (a webhook without a valid signature).</summary>
    Unauthenticated,
    /// <summary>The request body is larger than the route accepts.</summary>
    TooLarge,
}

public sealed record Failure(FailureKind Kind, string Detail, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    /// <summary>More members for the problem document, such as the relationship request link of a taken domain.</summary>
    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }

    public static Failure NotFound(string what = "The resource") => new(FailureKind.NotFound, $"{what} was not found.");
    public static Failure Conflict(string detail) => new(FailureKind.Conflict, detail);
    public static Failure RuleRefused(string detail) => new(FailureKind.RuleRefused, detail);
    public static Failure Forbidden(string detail) => new(FailureKind.Forbidden, detail);
    public static Failure UpstreamFailed(string detail) => new(FailureKind.UpstreamFailed, detail);
    public static Failure Unauthenticated(string detail) => new(FailureKind.Unauthenticated, detail);
    public static Failure TooLarge(string detail) => new(FailureKind.TooLarge, detail);

    public static Failure Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new(FailureKind.Invalid, "One or more fields are invalid.", errors);

    public static Failure Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>Either a value or an expected failure.</summary>
public readonly struct Outcome<T>
{
    private Outcome(T? value, Failure? failure)
    {
        Value = value;
        Failure = failure;
    }

    public T? Value { get; }
    public Failure? Failure { get; }
    public bool Succeeded => Failure is null;

    public static implicit operator Outcome<T>(T value) => new(value, null);
    public static implicit operator Outcome<T>(Failure failure) => new(default, failure);
}
