using System.Net;
using System.Text.Json.Nodes;

namespace Skyport.Tests.Infrastructure;

/// <summary>Bulk work as a client does it: post, get 202 with the job, follow its Location until it is finished.</summary>
public static class BulkJobClient
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(90);

    /// <summary>Posts the work and answers the finished job (its <c>results</c> hold one line per item).</summary>
    public static async Task<JsonNode> RunJobAsync(this HttpClient client, string path, object body, TimeSpan? wait = null)
    {
        var (_, location) = await client.QueueJobAsync(path, body);
        return await client.FinishedJobAsync(location, wait);
    }

    /// <summary>The results of the finished job: what the POST used to answer.</summary>
    public static async Task<JsonArray> RunJobResultsAsync(this HttpClient client, string path, object body, TimeSpan? wait = null) =>
        (await client.RunJobAsync(path, body, wait))["results"]!.AsArray();

    /// <summary>Posts the work, expecting 202 Accepted with the queued job and where to follow it.</summary>
    public static async Task<(JsonNode Job, string Location)> QueueJobAsync(this HttpClient client, string path, object body)
    {
        var response = await client.PostJsonAsync(path, body);
        var job = (await response.ExpectAsync(HttpStatusCode.Accepted))!;
        var location = response.Headers.Location?.ToString();
        Assert.False(string.IsNullOrEmpty(location), "A queued job answers with its Location.");
        Assert.Equal(location, $"/api/v1/customers/{path.Split('/')[4]}/o365/jobs/{job["id"]!.GetValue<Guid>()}");
        return (job, location!);
    }

    /// <summary>Polls the job until it has succeeded or failed, failing the test after the wait.</summary>
    public static async Task<JsonNode> FinishedJobAsync(this HttpClient client, string location, TimeSpan? wait = null)
    {
        var until = DateTime.UtcNow + (wait ?? DefaultWait);
        while (true)
        {
            var job = (await (await client.GetAsync(location)).ExpectAsync(HttpStatusCode.OK))!;
            if (job["state"]!.GetValue<string>() is "succeeded" or "failed")
            {
                return job;
            }
            Assert.True(DateTime.UtcNow < until, $"The job at {location} did not finish within {(wait ?? DefaultWait).TotalSeconds} s: {job.ToJsonString()}");
            await Task.Delay(100);
        }
    }
}
