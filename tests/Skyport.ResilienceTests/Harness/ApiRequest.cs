using System.Net.Http.Json;
using System.Text.Json;

namespace Skyport.ResilienceTests.Harness;

/// <summary>One request to Skyport's API as a client sends it, with the <c>Idempotency-Key</c> it keeps across retries.</summary>
public sealed record ApiRequest(HttpMethod Method, string Path, object? Body = null, string? IdempotencyKey = null)
{
    public static ApiRequest Get(string path) => new(HttpMethod.Get, path);

    public static ApiRequest Post(string path, object? body) => new(HttpMethod.Post, path, body, NewKey());

    public static ApiRequest Patch(string path, object body) => new(HttpMethod.Patch, path, body, NewKey());

    public static ApiRequest Put(string path, object body) => new(HttpMethod.Put, path, body, NewKey());

    public static string NewKey() => Guid.NewGuid().ToString("N");

    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, Path);
        if (Body is not null)
        {
            message.Content = JsonContent.Create(Body, options: JsonSerializerOptions.Web);
        }
        if (IdempotencyKey is not null)
        {
            message.Headers.Add("Idempotency-Key", IdempotencyKey);
        }
        return message;
    }

    public override string ToString() => $"{Method} {Path}";
}
