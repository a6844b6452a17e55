using System.Net;
using System.Text.Json.Nodes;

namespace Skyport.ResilienceTests.Harness;

/// <summary>What Skyport answered; <see cref="Status"/> 0 when no answer came (connection cut, process killed, client timeout).</summary>
public sealed record ApiAnswer(int Status, string Body, TimeSpan? RetryAfter = null)
{
    public static readonly ApiAnswer None = new(0, "");

    public bool Answered => Status != 0;

    public bool Is(HttpStatusCode status) => Status == (int)status;

    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>The first request with this key (or another change of the same subscription) is still running: the API says to try again.</summary>
    public bool IsInProgress => Status == 409 && Body.Contains("in progress", StringComparison.OrdinalIgnoreCase);

    /// <summary>What a client retries with the same key, as the API tells it to: no answer, a server error, or work still in progress.</summary>
    public bool IsRetryable => !Answered || Status >= 500 || IsInProgress;

    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("Empty JSON body.");

    public override string ToString() => Answered ? $"{Status}: {(Body.Length > 600 ? Body[..600] + "…" : Body)}" : "no answer";
}
