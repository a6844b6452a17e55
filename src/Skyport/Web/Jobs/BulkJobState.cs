namespace Skyport.Web.Jobs;

public enum BulkJobState
{
    Queued,
    Running,
    Succeeded,
    Failed,
}
