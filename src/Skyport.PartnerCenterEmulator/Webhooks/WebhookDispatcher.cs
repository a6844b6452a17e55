using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Skyport.PartnerCenterEmulator.Core;

namespace Skyport.PartnerCenterEmulator.Webhooks;

public sealed record WebhookDeliveryResult(string ResponseCode, string ResponseMessage, bool SystemError, DateTime DateTimeUtc);

/// <summary>
/// Sends Partner Center webhook events to the registered URL, outside the state gate,
/// retrying a failed delivery up to 10 attempts in all.
/// </summary>
public sealed class WebhookDispatcher(IHttpClientFactory httpClients, IServer server, EmulatorOptions options, WebhookSigner signer, ILogger<WebhookDispatcher> logger)
{
    public const int MaxAttempts = 10;

    public static readonly string[] SupportedEvents =
        ["test-created", "customer-created", "subscription-updated", "subscription-renewed", "invoice-ready"];

    private volatile WebhookRegistration? _registration;
    private readonly ConcurrentDictionary<Guid, List<WebhookDeliveryResult>> _validationResults = new();
    private readonly ConcurrentQueue<Task> _inFlight = new();

    public WebhookRegistration? Registration
    {
        get => _registration;
        set => _registration = value;
    }

    private readonly Queue<DateTimeOffset> _testEvents = new();

    /// <summary>Partner Center allows 2 test events a minute; returns the seconds to wait, or null when one may be sent now.</summary>
    public int? TakeTestEventSlot(DateTimeOffset now)
    {
        lock (_testEvents)
        {
            while (_testEvents.Count > 0 && now - _testEvents.Peek() >= TimeSpan.FromMinutes(1)) _testEvents.Dequeue();
            if (_testEvents.Count >= 2) return Math.Max(1, (int)Math.Ceiling((_testEvents.Peek() + TimeSpan.FromMinutes(1) - now).TotalSeconds));
            _testEvents.Enqueue(now);
            return null;
        }
    }

    public IReadOnlyList<WebhookDeliveryResult>? ValidationResults(Guid correlationId) =>
        _validationResults.TryGetValue(correlationId, out var list) ? list.ToList() : null;

    public void Raise(string eventName, string resourceName, string resourceUri, DateTime changedAt, Guid? correlationId = null)
    {
        var registration = _registration;
        if (registration is null || !registration.WebhookEvents.Contains(eventName, StringComparer.OrdinalIgnoreCase)) return;
        var payload = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["EventName"] = eventName,
            ["ResourceUri"] = BaseUrl() + resourceUri,
            ["ResourceName"] = resourceName,
            ["AuditUri"] = null,
            ["ResourceChangeUtcDate"] = new DateTimeOffset(changedAt, TimeSpan.Zero).ToString("O"),
        });
        if (correlationId is { } id) _validationResults[id] = [];
        var task = Task.Run(() => DeliverAsync(registration.WebhookUrl, payload, correlationId));
        _inFlight.Enqueue(task);
        while (_inFlight.TryPeek(out var head) && head.IsCompleted) _inFlight.TryDequeue(out _);
    }

    private async Task DeliverAsync(string url, string payload, Guid? correlationId)
    {
        var client = httpClients.CreateClient(nameof(WebhookDispatcher));
        var body = Encoding.UTF8.GetBytes(payload);
        var signature = signer.Sign(body);
        var certificateUrl = BaseUrl() + WebhookSigner.CertificatePath;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            WebhookDeliveryResult result;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                request.Headers.TryAddWithoutValidation("Authorization", "Signature " + signature);
                request.Headers.TryAddWithoutValidation("X-MS-Certificate-Url", certificateUrl);
                request.Headers.TryAddWithoutValidation("X-MS-Signature-Algorithm", WebhookSigner.Algorithm);
                using var response = await client.SendAsync(request);
                result = new WebhookDeliveryResult(response.StatusCode.ToString(), "", false, DateTime.UtcNow);
                if (correlationId is { } id) _validationResults[id].Add(result);
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                result = new WebhookDeliveryResult("ServiceUnavailable", e.Message, true, DateTime.UtcNow);
                if (correlationId is { } id) _validationResults[id].Add(result);
            }
            logger.LogInformation("Webhook delivery {Attempt} to {Url} failed: {Code}", attempt, url, result.ResponseCode);
            await Task.Delay(options.WebhookRetryDelay * attempt);
        }
    }

    // Listening on every interface is reported as 0.0.0.0 or [::], which no receiver can call back.
    private string BaseUrl() =>
        (server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()?.TrimEnd('/') ?? "")
            .Replace("://0.0.0.0", "://127.0.0.1").Replace("://[::]", "://127.0.0.1");
}
