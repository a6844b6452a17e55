using System.Text.Json;
using System.Text.Json.Nodes;

namespace Skyport.Web.Jobs;

/// <summary>A handler over its action's own request and result types; the job keeps both as JSON.</summary>
public abstract class BulkJobHandler<TRequest, TResult> : IBulkJobHandler
{
    public abstract string Kind { get; }

    public virtual int BatchSize => 1;

    protected abstract IReadOnlyList<Guid> ItemsOf(TRequest request);

    protected abstract Task<IReadOnlyList<TResult>> RunAsync(Guid organizationId, TRequest request, IReadOnlyList<Guid> items, CancellationToken ct);

    protected abstract Task FinishAsync(Guid organizationId, TRequest request, IReadOnlyList<TResult> results, CancellationToken ct);

    IReadOnlyList<Guid> IBulkJobHandler.ItemsOf(string request) => ItemsOf(Read<TRequest>(request));

    async Task<IReadOnlyList<JsonNode>> IBulkJobHandler.RunAsync(Guid organizationId, string request, IReadOnlyList<Guid> items, CancellationToken ct) =>
        [.. (await RunAsync(organizationId, Read<TRequest>(request), items, ct)).Select(r => JsonSerializer.SerializeToNode(r, BulkJobJson.Options)!)];

    Task IBulkJobHandler.FinishAsync(Guid organizationId, string request, JsonArray results, CancellationToken ct) =>
        FinishAsync(organizationId, Read<TRequest>(request), results.Deserialize<List<TResult>>(BulkJobJson.Options) ?? [], ct);

    private static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, BulkJobJson.Options)!;
}
