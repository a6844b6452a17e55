using Skyport.Web.Jobs;

namespace Skyport.Features.Directory;

/// <summary>Runs a queued user import, one person at a time (each is a user created in Partner Center and an email).</summary>
public sealed class ImportJobHandler(ImportUsers import) : BulkJobHandler<ImportUsersRequest, PersonResult>
{
    public override string Kind => BulkJobKind.DirectoryImport;

    protected override IReadOnlyList<Guid> ItemsOf(ImportUsersRequest request) => request.DirectoryUserIds ?? [];

    protected override Task<IReadOnlyList<PersonResult>> RunAsync(Guid organizationId, ImportUsersRequest request, IReadOnlyList<Guid> items, CancellationToken ct) =>
        import.ImportAsync(organizationId, items, request.SendPasswordTo!, ct);

    protected override Task FinishAsync(Guid organizationId, ImportUsersRequest request, IReadOnlyList<PersonResult> results, CancellationToken ct) =>
        import.RecordAsync(organizationId, results, ct);
}
