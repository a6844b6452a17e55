using System.Text.Json;

namespace Skyport.Web.Jobs;

/// <summary>How requests and results are kept in a job: as the API writes them (camelCase), so that results are served as stored.</summary>
public static class BulkJobJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
