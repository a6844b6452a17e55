using System.Text.Json;
using System.Text.Json.Serialization;

namespace Skyport.Web.Jobs;

/// <summary>A job as the API shows it: <c>results</c> holds one line per item done so far, in the shape each action reports.</summary>
public sealed record BulkJobDto(
    Guid Id, string Kind, string State, int Total, int Done, JsonElement Results, string? Error, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt)
{
    [JsonIgnore]
    public bool Finished => State is "succeeded" or "failed";

    public static BulkJobDto From(BulkJob job) => new(
        job.Id, job.Kind, job.State.ToString().ToLowerInvariant(), job.Total, job.Done,
        JsonDocument.Parse(job.Results).RootElement.Clone(), job.Error, job.CreatedAt, job.FinishedAt);

    /// <summary>The results as the action's own result type.</summary>
    public IReadOnlyList<T> ResultsAs<T>() => Results.Deserialize<List<T>>(BulkJobJson.Options) ?? [];
}
