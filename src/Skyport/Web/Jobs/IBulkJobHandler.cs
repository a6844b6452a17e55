using System.Text.Json.Nodes;

namespace Skyport.Web.Jobs;

/// <summary>Does the work of one kind of job, a batch of items at a time, by calling the use case that does it for a request.</summary>
public interface IBulkJobHandler
{
    string Kind { get; }

    /// <summary>How many items are done between two saves of the job's progress.</summary>
    int BatchSize { get; }

    /// <summary>The job's items, in order; the results are kept in the same order.</summary>
    IReadOnlyList<Guid> ItemsOf(string request);

    /// <summary>Does these items and answers one result per item, in their order.</summary>
    Task<IReadOnlyList<JsonNode>> RunAsync(Guid organizationId, string request, IReadOnlyList<Guid> items, CancellationToken ct);

    /// <summary>After the last item: what the whole job did (the audit log).</summary>
    Task FinishAsync(Guid organizationId, string request, JsonArray results, CancellationToken ct);
}
