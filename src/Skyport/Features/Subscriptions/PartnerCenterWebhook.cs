using Microsoft.AspNetCore.Http.HttpResults;
using Skyport.PartnerCenter;
using Skyport.Web;

namespace Skyport.Features.Subscriptions;

/// <summary>
/// <c>POST /api/v1/webhooks/partner-center</c>: anonymous, since Partner Center has no Skyport credentials, so it proves
/// itself by its signature before anything else happens. A subscription event only queues a reconcile of its tenant,
/// which reads what changed from Partner Center.
/// </summary>
public static class PartnerCenterWebhook
{
    // Partner Center's events are five short properties, a few hundred bytes. 64 KiB leaves room for properties
    // Microsoft may add, while nobody can make Skyport buffer megabytes before the signature is checked.
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>The events Skyport registers for; others (the test event, events Microsoft adds) are acknowledged and ignored.</summary>
    public static readonly string[] SubscriptionEvents = ["subscription-updated", "subscription-renewed"];

    public static RouteGroupBuilder MapPartnerCenterWebhook(this RouteGroupBuilder api)
    {
        api.MapPost(SubscriptionSync.WebhookPath["/api/v1".Length..], ReceiveAsync)
            .AllowAnonymous()
            .Accepts<PartnerCenterWebhookEvent>("application/json")
            .WithTags("Webhooks");
        return api;
    }

    private static async Task<Results<Ok, ProblemHttpResult>> ReceiveAsync(
        HttpContext http, PartnerCenterWebhookSignature signature, SubscriptionSyncQueue queue, CancellationToken ct)
    {
        var tooLarge = Failure.TooLarge($"A Partner Center event is at most {MaxBodyBytes / 1024} KiB.");
        if (http.Request.ContentLength > MaxBodyBytes) return tooLarge.ToProblem();
        var body = await ReadAtMostAsync(http.Request.Body, MaxBodyBytes, ct);
        if (body is null) return tooLarge.ToProblem();

        if (await signature.CheckAsync(http.Request.Headers, body, ct) is { } unsigned)
        {
            http.Response.Headers.WWWAuthenticate = "Signature";
            return unsigned.ToProblem();
        }

        var parsed = PartnerCenterWebhookEvent.Parse(body);
        if (!parsed.Succeeded) return parsed.Failure!.ToProblem();
        var received = parsed.Value!;
        if (SubscriptionEvents.Contains(received.EventName, StringComparer.OrdinalIgnoreCase))
        {
            if (received.CustomerId() is not { } tenant)
            {
                return Failure.Invalid(nameof(PartnerCenterWebhookEvent.ResourceUri), "A subscription event's ResourceUri names .../customers/{id}/subscriptions/{id}.").ToProblem();
            }
            queue.Enqueue(tenant);
        }
        return TypedResults.Ok();
    }

    /// <summary>The body, or null when it is longer than <paramref name="limit"/> (read no further than one byte past it).</summary>
    private static async Task<byte[]?> ReadAtMostAsync(Stream body, int limit, CancellationToken ct)
    {
        var buffer = new byte[limit + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), ct)) > 0)
        {
            length += read;
        }
        return length > limit ? null : buffer[..length];
    }
}
