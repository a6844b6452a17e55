using Skyport.Web.Jobs;

namespace Skyport.Features.Users;

/// <summary>Runs a queued "Subscribe" or "Unsubscribe": a batch of users at a time, as many as are updated in parallel.</summary>
public abstract class LicenseJobHandler(AssignLicenses licenses, IConfiguration configuration, bool subscribe)
    : BulkJobHandler<LicenseJobRequest, UserLicenseResult>
{
    public override int BatchSize => Math.Max(1, configuration.GetValue("Users:LicenseParallelism", 8));

    protected override IReadOnlyList<Guid> ItemsOf(LicenseJobRequest request) => request.UserIds ?? [];

    protected override Task<IReadOnlyList<UserLicenseResult>> RunAsync(Guid organizationId, LicenseJobRequest request, IReadOnlyList<Guid> items, CancellationToken ct) =>
        licenses.RunBatchAsync(organizationId, request.SubscriptionIds ?? [], items, subscribe, ct);

    protected override Task FinishAsync(Guid organizationId, LicenseJobRequest request, IReadOnlyList<UserLicenseResult> results, CancellationToken ct) =>
        licenses.FinishAsync(organizationId, request, subscribe, results, ct);
}
