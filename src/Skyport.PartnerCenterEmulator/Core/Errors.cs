using System.Text.Json;

namespace Skyport.PartnerCenterEmulator.Core;

/// <summary>Error bodies in the shapes the real services answer with.</summary>
public static class Errors
{
    public const string PcSource = "PartnerFD";

    /// <summary>Partner Center: <c>{ code, description, data, source }</c>.</summary>
    public static IResult Pc(int status, int code, string description, params string[] data) =>
        Results.Json(new { code, description, data, source = PcSource }, Json.Pc, statusCode: status);

    public static IResult PcNotFound(string what) => Pc(404, 1000, $"{what} not found.");
    public static IResult PcInvalid(string description, params string[] data) => Pc(400, 3000, description, data);
    public static IResult PcCustomerNotFound(Guid id) => Pc(404, 60003, "Tenant not found", $"TenantNotFoundException : Tenant {id} was not found.");

    /// <summary>Microsoft Graph: <c>{ error: { code, message, innerError: { date, request-id, client-request-id } } }</c>.</summary>
    public static IResult Graph(HttpContext http, int status, string code, string message, params object[] details) =>
        Results.Json(GraphBody(http, code, message, details), Json.Graph, statusCode: status);

    /// <summary>The body; <c>details</c> (Graph's list of inner errors, e.g. ObjectConflict) only when there are some.</summary>
    public static object GraphBody(HttpContext http, string code, string message, params object[] details)
    {
        var error = new Dictionary<string, object>
        {
            ["code"] = code,
            ["message"] = message,
            ["innerError"] = new Dictionary<string, string>
            {
                ["date"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss"),
                ["request-id"] = http.TraceIdentifier,
                ["client-request-id"] = http.Request.Headers["client-request-id"].FirstOrDefault() ?? http.TraceIdentifier,
            },
        };
        if (details.Length > 0) error["details"] = details;
        return new { error };
    }

    public static IResult GraphBadRequest(HttpContext http, string message) => Graph(http, 400, "Request_BadRequest", message);

    public static IResult GraphNotFound(HttpContext http, string id) =>
        Graph(http, 404, "Request_ResourceNotFound",
            $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.");

    /// <summary>The API gateway's 429 body for Partner Center (not the usual error shape).</summary>
    public static async Task WriteThrottledAsync(HttpContext http, int retryAfterSeconds)
    {
        http.Response.StatusCode = 429;
        http.Response.Headers.RetryAfter = retryAfterSeconds.ToString();
        if (IsGraph(http.Request.Path))
        {
            await http.Response.WriteAsJsonAsync(GraphBody(http, "TooManyRequests",
                "Too many requests from Identifier:" + http.TraceIdentifier + " Please try again later."), Json.Graph);
        }
        else
        {
            await http.Response.WriteAsJsonAsync(new
            {
                statusCode = 429,
                message = $"Rate limit is exceeded. Try again in {retryAfterSeconds} seconds.",
            }, Json.Pc);
        }
    }

    public static bool IsGraph(PathString path) => path.StartsWithSegments("/graph");
}

public static class Json
{
    public static readonly JsonSerializerOptions Pc = new(JsonSerializerDefaults.Web);
    public static readonly JsonSerializerOptions Graph = new(JsonSerializerDefaults.Web);
}
