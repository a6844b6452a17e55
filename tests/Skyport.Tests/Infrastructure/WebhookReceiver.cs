using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Skyport.PartnerCenter;

namespace Skyport.Tests.Infrastructure;

/// <summary>A request as it arrived: its path, exact body bytes and headers.</summary>
public sealed record ReceivedRequest(string Path, byte[] Body, IReadOnlyDictionary<string, string> Headers)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);

    /// <summary>The same request (or its headers over another body) for Skyport's webhook endpoint.</summary>
    public HttpRequestMessage ToSkyport(byte[]? body = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Skyport.Features.Subscriptions.SubscriptionSync.WebhookPath) { Content = new ByteArrayContent(body ?? Body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", Headers["Content-Type"]);
        foreach (var name in new[] { "Authorization", "X-MS-Certificate-Url", "X-MS-Signature-Algorithm" })
        {
            request.Headers.TryAddWithoutValidation(name, Headers[name]);
        }
        return request;
    }
}

/// <summary>
/// A loopback HTTP listener that records every request and answers 200. Registered with the embedded emulator, it
/// catches the emulator's real webhook deliveries (Skyport under WebApplicationFactory has no address the emulator
/// could call), which a test then hands to Skyport as they were sent, or changed.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();

    private WebhookReceiver()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Urls.Add("http://127.0.0.1:0");
        _app.Run(async http =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            _requests.Enqueue(new ReceivedRequest(http.Request.Path, body.ToArray(),
                http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        });
    }

    public string BaseUrl => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');

    public IReadOnlyCollection<ReceivedRequest> Requests => _requests;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        await receiver._app.StartAsync();
        return receiver;
    }

    /// <summary>Makes this receiver the partner's webhook registration in the app's embedded emulator.</summary>
    public async Task<WebhookReceiver> RegisterWithEmulatorAsync(SkyportApp app)
    {
        var registered = await app.InScopeAsync(s => s.GetRequiredService<PartnerCenterClient>()
            .RegisterWebhookAsync(BaseUrl + "/hook", ["subscription-updated", "test-created"]));
        Assert.True(registered.IsSuccess, registered.Error?.ToString());
        return this;
    }

    /// <summary>Waits for a delivery whose body contains <paramref name="text"/>.</summary>
    public async Task<ReceivedRequest> DeliveryAsync(string text)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (_requests.FirstOrDefault(r => r.Text.Contains(text, StringComparison.OrdinalIgnoreCase)) is { } found) return found;
            await Task.Delay(50);
        }
        throw new TimeoutException($"No webhook delivery mentioning {text} arrived.");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
