using Microsoft.EntityFrameworkCore;
using Skyport.PartnerCenterEmulator.Core;

namespace Skyport.PartnerCenterEmulator.Webhooks;

/// <summary>Partner Center webhook registration (one per partner), test events, and the certificate that signs deliveries.</summary>
public static class WebhookEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet(WebhookSigner.CertificatePath, (WebhookSigner signer) => Results.File(signer.PublicCertificate, "application/pkix-cert"));
        var group = app.MapGroup("/webhooks/v1/registration");
        group.MapGet("/events", () => Pc.Ok(WebhookDispatcher.SupportedEvents));
        group.MapPost("", (HttpContext http, EmulatorDb db, WebhookDispatcher dispatcher) => SaveAsync(http, db, dispatcher, mustExist: false));
        group.MapPut("", (HttpContext http, EmulatorDb db, WebhookDispatcher dispatcher) => SaveAsync(http, db, dispatcher, mustExist: true));
        group.MapGet("", async (EmulatorDb db) =>
            await db.Webhooks.OrderBy(w => w.Id).FirstOrDefaultAsync() is { } r ? Pc.Ok(Json(r)) : NotRegistered());
        group.MapDelete("", async (EmulatorDb db, WebhookDispatcher dispatcher) =>
        {
            if (await db.Webhooks.OrderBy(w => w.Id).FirstOrDefaultAsync() is not { } r) return NotRegistered();
            db.Webhooks.Remove(r);
            await db.SaveChangesAsync();
            dispatcher.Registration = null;
            return Results.NoContent();
        });
        group.MapPost("/validationEvents", async (HttpContext http, EmulatorDb db, WebhookDispatcher dispatcher, EmulatorClock clock) =>
        {
            if (await db.Webhooks.OrderBy(w => w.Id).FirstOrDefaultAsync() is not { } r) return NotRegistered();
            if (!r.WebhookEvents.Contains("test-created", StringComparer.OrdinalIgnoreCase))
            {
                return Errors.PcInvalid("The registration must include the test-created event to send a test event.");
            }
            if (dispatcher.TakeTestEventSlot(DateTimeOffset.UtcNow) is { } wait)
            {
                await Errors.WriteThrottledAsync(http, wait);
                return Results.Empty;
            }
            var correlationId = Guid.NewGuid();
            dispatcher.Raise("test-created", "test", $"/webhooks/v1/registration/validationEvents/{correlationId}", clock.UtcNow, correlationId);
            return Pc.Ok(new { correlationId });
        });
        group.MapGet("/validationEvents/{correlationId}", async (string correlationId, EmulatorDb db, WebhookDispatcher dispatcher, EmulatorOptions options) =>
        {
            if (!Guid.TryParse(correlationId, out var id) || dispatcher.ValidationResults(id) is not { } results)
            {
                return Errors.Pc(404, 1000, "Not found", $"Validation event {correlationId} was not found.");
            }
            var registration = await db.Webhooks.OrderBy(w => w.Id).FirstOrDefaultAsync();
            return Pc.Ok(new
            {
                correlationId = id,
                partnerId = options.PartnerTenantId,
                status = results.Count == 0 ? "pending" : "completed",
                callbackUrl = registration?.WebhookUrl,
                results = results.Select(r => new { responseCode = r.ResponseCode, responseMessage = r.ResponseMessage, systemError = r.SystemError, dateTimeUtc = r.DateTimeUtc }).ToArray(),
            });
        });
    }

    private static IResult NotRegistered() => Errors.Pc(404, 1000, "Not found", "No webhook registration exists for this partner.");

    private static async Task<IResult> SaveAsync(HttpContext http, EmulatorDb db, WebhookDispatcher dispatcher, bool mustExist)
    {
        var (body, error) = await Pc.BodyAsync(http);
        if (error is not null) return error;
        var url = body!.String("webhookUrl", required: true);
        var events = body.Strings("webhookEvents", required: true);
        if (Pc.Invalid(body) is { } invalid) return invalid;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return Errors.PcInvalid("Invalid property: WebhookUrl must be an absolute http or https URL.", "WebhookUrl");
        }
        var unknown = events!.Where(e => !WebhookDispatcher.SupportedEvents.Contains(e, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0 || events!.Count == 0)
        {
            return Errors.PcInvalid("Invalid property: WebhookEvents must name supported events.", [.. unknown]);
        }
        var registration = await db.Webhooks.OrderBy(w => w.Id).FirstOrDefaultAsync();
        if (registration is null)
        {
            if (mustExist) return NotRegistered();
            registration = new WebhookRegistration { SubscriberId = Guid.NewGuid() };
            db.Webhooks.Add(registration);
        }
        registration.WebhookUrl = url!;
        registration.WebhookEvents = events!.Select(e => WebhookDispatcher.SupportedEvents.First(s => s.Equals(e, StringComparison.OrdinalIgnoreCase))).ToList();
        await db.SaveChangesAsync();
        dispatcher.Registration = registration;
        return Pc.Ok(Json(registration));
    }

    private static Dictionary<string, object> Json(WebhookRegistration r) => new()
    {
        ["SubscriberId"] = r.SubscriberId,
        ["WebhookUrl"] = r.WebhookUrl,
        ["WebhookEvents"] = r.WebhookEvents,
    };
}
