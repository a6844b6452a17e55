using Skyport.Web.Jobs;

namespace Skyport.Features.Directory;

/// <summary>Runs a queued user export, one user at a time (each is a directory person and an email).</summary>
public sealed class ExportJobHandler(ExportUsers export) : BulkJobHandler<ExportUsersRequest, PersonResult>
{
    public override string Kind => BulkJobKind.DirectoryExport;

    protected override IReadOnlyList<Guid> ItemsOf(ExportUsersRequest request) => request.UserIds ?? [];

    protected override Task<IReadOnlyList<PersonResult>> RunAsync(Guid organizationId, ExportUsersRequest request, IReadOnlyList<Guid> items, CancellationToken ct) =>
        export.ExportAsync(organizationId, items, request.SendPasswordTo!, ct);

    protected override Task FinishAsync(Guid organizationId, ExportUsersRequest request, IReadOnlyList<PersonResult> results, CancellationToken ct) =>
        export.RecordAsync(organizationId, results, ct);
}
