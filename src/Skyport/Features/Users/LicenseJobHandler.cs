using Skyport.Web.Jobs;

namespace Skyport.Features.Users;

/// <summary>Runs a queued "Subscribe" or "Unsubscribe": a batch of users at a time, as many as are updated in parallel.</summary>
public abstract class LicenseJobHandler(AssignLicenses licenses, IConfiguration configuration, bool subscribe)
    : BulkJobHandler<LicenseRequest, UserLicenseResult>
{
    public override int BatchSize => Math.Max(1, configuration.GetValue("Users:LicenseParallelism", 8));

    protected override IReadOnlyList<Guid> ItemsOf(LicenseRequest request) => request.UserIds ?? [];

    protected override Task<IReadOnlyList<UserLicenseResult>> RunAsync(Guid organizationId, LicenseRequest request, IReadOnlyList<Guid> items, CancellationToken ct) =>
        licenses.RunBatchAsync(organizationId, request.SubscriptionIds ?? [], items, subscribe, ct);

    protected override Task FinishAsync(Guid organizationId, LicenseRequest request, IReadOnlyList<UserLicenseResult> results, CancellationToken ct) =>
        licenses.RecordAsync(organizationId, request.SubscriptionIds ?? [], subscribe, results, ct);
}
