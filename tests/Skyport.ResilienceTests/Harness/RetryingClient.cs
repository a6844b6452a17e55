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

    public async Task<ApiAnswer> SendOnceAsync(ApiRequest request, CancellationToken ct = default)
    {
        try
        {
            using var message = request.ToMessage();
            using var response = await client().SendAsync(message, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            return new ApiAnswer((int)response.StatusCode, body, response.Headers.RetryAfter?.Delta);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException && !ct.IsCancellationRequested)
        {
            return ApiAnswer.None;
        }
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
