using Microsoft.AspNetCore.Mvc;
using Skyport.Data;
using Skyport.Features.Directory;
using Skyport.Features.Users;
using Skyport.Web.Jobs;

namespace Skyport.Features.Jobs;

/// <summary>A bulk job of a customer's tenant: a progress bar that fills while it runs (htmx polls the partial), then what happened.</summary>
public sealed class JobModel(SkyportDbContext db, TenantUsers users, BulkJobs jobs) : TenantPageModel(db, users)
{
    public BulkJobDto Job { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid customerId, Guid jobId, CancellationToken ct) =>
        await LoadAsync(customerId, jobId, ct) ? Page() : NotFound();

    /// <summary>The progress alone, polled every second while the job runs.</summary>
    public async Task<IActionResult> OnGetProgressAsync(Guid customerId, Guid jobId, CancellationToken ct) =>
        await LoadAsync(customerId, jobId, ct) ? Partial("_JobProgress", this) : NotFound();

    public string Title => Job.Kind switch
    {
        BulkJobKind.Subscribe => "Assign subscriptions",
        BulkJobKind.Unsubscribe => "Unassign subscriptions",
        BulkJobKind.DirectoryImport => "User import",
        _ => "User export",
    };

    /// <summary>What the job's items are, in the progress label ("12 of 50 users done").</summary>
    public string Items => Job.Kind == BulkJobKind.DirectoryImport ? (Job.Total == 1 ? "person" : "people") : Job.Total == 1 ? "user" : "users";

    public string ProgressLabel => Job.State switch
    {
        "queued" => $"Waiting to start: 0 of {Job.Total} {Items} done",
        "failed" => $"Stopped: {Job.Done} of {Job.Total} {Items} done",
        _ => $"{Job.Done} of {Job.Total} {Items} done",
    };

    public IReadOnlyList<UserLicenseResult> LicenseResults =>
        Job.Kind is BulkJobKind.Subscribe or BulkJobKind.Unsubscribe ? Job.ResultsAs<UserLicenseResult>() : [];

    public IReadOnlyList<PersonResult> PersonResults =>
        Job.Kind is BulkJobKind.DirectoryImport or BulkJobKind.DirectoryExport ? Job.ResultsAs<PersonResult>() : [];

    /// <summary>Where the job was started from: the one user's Subscriptions page, the users, or the import or export page.</summary>
    public (string Path, string Text) Back => Job.Kind switch
    {
        BulkJobKind.DirectoryImport => (UsersPath + "/import", "Back to the user import"),
        BulkJobKind.DirectoryExport => (UsersPath + "/export", "Back to the user export"),
        _ when Job.Total == 1 && LicenseResults is [{ } only] => (UsersPath + $"/{only.UserId}/subscriptions", $"Back to the subscriptions of {only.UserPrincipalName ?? "the user"}"),
        _ => (UsersPath, "Back to the users"),
    };

    public string ProgressPath => JobEndpoints.PagePath(Service.OrganizationId, Job.Id) + "?handler=Progress";

    private async Task<bool> LoadAsync(Guid customerId, Guid jobId, CancellationToken ct)
    {
        if (!await LoadServiceAsync(customerId, ct) || await jobs.FindAsync(customerId, jobId, ct) is not { } job)
        {
            return false;
        }
        Job = job;
        return true;
    }
}
