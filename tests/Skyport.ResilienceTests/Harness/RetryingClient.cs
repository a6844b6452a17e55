using System.Diagnostics;

namespace Skyport.ResilienceTests.Harness;

/// <summary>
/// A well-behaved API client: it sends a request, and while the answer says to retry (no answer, 5xx, 409 in progress) sends
/// the same request with the same <c>Idempotency-Key</c> again after a short pause (or the <c>Retry-After</c> asked), within a
/// time budget, so a failing run never hangs.
/// </summary>
public sealed class RetryingClient(Func<HttpClient> client, TimeSpan? pause = null)
{
    private readonly TimeSpan _pause = pause ?? TimeSpan.FromMilliseconds(200);

    /// <summary>Requests sent again after a retryable answer, by this client.</summary>
    public int Retries => _retries;

    private int _retries;

    /// <summary>How long a bulk job (202 with its Location) is followed before the client gives up on this answer.</summary>
    private static readonly TimeSpan JobBudget = TimeSpan.FromSeconds(90);

    /// <summary>
    /// One request; bulk work answered <c>202</c> with a job is followed to its end as a client would, and comes back as a
    /// <c>200</c> with the job's per-user results. No answer while following it is no answer: the client retries the POST
    /// with its key, which answers the same job.
    /// </summary>
    public async Task<ApiAnswer> SendOnceAsync(ApiRequest request, CancellationToken ct = default)
    {
        try
        {
            using var message = request.ToMessage();
            using var response = await client().SendAsync(message, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode == System.Net.HttpStatusCode.Accepted && response.Headers.Location is { } job
                && job.OriginalString.Contains("/o365/jobs/", StringComparison.Ordinal))
            {
                return await FollowJobAsync(job.OriginalString, ct);
            }
            return new ApiAnswer((int)response.StatusCode, body, response.Headers.RetryAfter?.Delta);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException && !ct.IsCancellationRequested)
        {
            return ApiAnswer.None;
        }
    }

    private async Task<ApiAnswer> FollowJobAsync(string location, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < JobBudget)
        {
            using var response = await client().GetAsync(location, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                return new ApiAnswer((int)response.StatusCode, body);
            }
            var job = System.Text.Json.Nodes.JsonNode.Parse(body)!;
            var state = job["state"]!.GetValue<string>();
            if (state == "succeeded")
            {
                return new ApiAnswer(200, job["results"]!.ToJsonString());
            }
            if (state == "failed")
            {
                return new ApiAnswer(500, body);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
        }
        return ApiAnswer.None;
    }

    /// <summary>The first answer that is not retryable; the last retryable one when <paramref name="budget"/> runs out.</summary>
    public async Task<ApiAnswer> SendUntilFinalAsync(ApiRequest request, TimeSpan budget, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var answer = await SendOnceAsync(request, ct);
        while (answer.IsRetryable && clock.Elapsed < budget)
        {
            var wait = answer.RetryAfter is { } asked && asked > _pause ? TimeSpan.FromTicks(Math.Min(asked.Ticks, TimeSpan.FromSeconds(5).Ticks)) : _pause;
            await Task.Delay(wait, ct);
            Interlocked.Increment(ref _retries);
            answer = await SendOnceAsync(request, ct);
        }
        return answer;
    }
}
