using System.Text;

namespace Skyport.PartnerCenterEmulator.Core;

/// <summary>Partner Center's resource envelope: links, attributes, collections and seek paging.</summary>
public static class Pc
{
    public static object Link(string uri, string method = "GET", IEnumerable<object>? headers = null) =>
        new { uri, method, headers = headers?.ToArray() ?? [] };

    public static object Attributes(string objectType) => new { objectType };

    public static IResult Ok(object body, int status = 200) => Results.Json(body, Json.Pc, statusCode: status);

    public static object Collection(IReadOnlyCollection<object> items, string selfUri, string? nextUri = null, string? continuationToken = null)
    {
        var links = new Dictionary<string, object> { ["self"] = Link(selfUri) };
        if (nextUri is not null)
        {
            links["next"] = Link(nextUri, "GET", [new { key = "MS-ContinuationToken", value = continuationToken }]);
        }
        var body = new Dictionary<string, object?>();
        if (continuationToken is not null) body["continuationToken"] = continuationToken;
        body["totalCount"] = items.Count;
        body["items"] = items;
        body["links"] = links;
        body["attributes"] = Attributes("Collection");
        return body;
    }

    public const int MaxPageSize = 500;

    /// <summary>
    /// Reads <c>size</c>, <c>seekOperation</c> and the <c>MS-ContinuationToken</c> header.
    /// Returns the page size and the sequence number to continue after, or an error.
    /// </summary>
    public static (int Size, long After, IResult? Error) Paging(HttpContext http, int defaultSize, int maxSize = MaxPageSize)
    {
        var size = defaultSize;
        var sizeText = http.Request.Query["size"].ToString();
        if (sizeText.Length > 0 && (!int.TryParse(sizeText, out size) || size < 1 || size > maxSize))
        {
            return (0, 0, Errors.PcInvalid($"The size parameter must be an integer between 1 and {maxSize}.", "size"));
        }
        var seek = http.Request.Query["seekOperation"].ToString();
        if (seek.Length == 0) return (size, 0, null);
        if (!seek.Equals("Next", StringComparison.OrdinalIgnoreCase))
        {
            return (0, 0, Errors.PcInvalid("The seekOperation parameter must be Next.", "seekOperation"));
        }
        var token = http.Request.Headers["MS-ContinuationToken"].ToString();
        if (token.Length == 0)
        {
            return (0, 0, Errors.PcInvalid("The MS-ContinuationToken header is required with seekOperation=Next.", "MS-ContinuationToken"));
        }
        var after = ReadToken(token);
        return after is null
            ? (0, 0, Errors.PcInvalid("The continuation token is not valid.", "MS-ContinuationToken"))
            : (size, after.Value, null);
    }

    public static string Token(long lastSeq) => Convert.ToBase64String(Encoding.UTF8.GetBytes("seq:" + lastSeq));

    private static long? ReadToken(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            return text.StartsWith("seq:") && long.TryParse(text[4..], out var n) ? n : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Reads a JSON body, answering Partner Center's 400 when it is not a JSON object.</summary>
    public static async Task<(JsonBody? Body, IResult? Error)> BodyAsync(HttpContext http)
    {
        var body = await JsonBody.ReadAsync(http.Request);
        return body is null
            ? (null, Errors.PcInvalid("The request body is not a valid JSON object."))
            : (body, null);
    }

    public static IResult? Invalid(JsonBody body) =>
        body.HasErrors ? Errors.PcInvalid("Invalid property: " + string.Join(" ", body.Errors), [.. body.Errors]) : null;

    public static string Date(DateTime utc) => utc.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ");
    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd") + "T00:00:00Z";
}
