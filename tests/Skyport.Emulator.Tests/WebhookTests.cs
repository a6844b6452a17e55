using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;

namespace Skyport.Emulator.Tests;

public sealed class WebhookFixture : EmulatorFixture;

/// <summary>Webhook registration and delivery, with retries, to a real HTTP receiver.</summary>
public sealed class WebhookTests(WebhookFixture emulator) : IClassFixture<WebhookFixture>, IAsyncLifetime
{
    private WebApplication? _receiver;
    private string _receiverUrl = "";
    private readonly ConcurrentQueue<JsonElement> _received = new();
    private readonly ConcurrentQueue<Delivery> _deliveries = new();
    private int _failuresLeft;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        _receiver = builder.Build();
        _receiver.Urls.Add("http://127.0.0.1:0");
        _receiver.MapPost("/hook", async (HttpContext http) =>
        {
            if (Interlocked.Decrement(ref _failuresLeft) >= 0) return Results.StatusCode(500);
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            _deliveries.Enqueue(new Delivery(body.ToArray(), http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            using var doc = JsonDocument.Parse(body.ToArray());
            _received.Enqueue(doc.RootElement.Clone());
            return Results.Ok();
        });
        await _receiver.StartAsync();
        _receiverUrl = _receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";
    }

    public async Task DisposeAsync()
    {
        await _receiver!.StopAsync();
        await _receiver.DisposeAsync();
    }

    private async Task<JsonElement> WaitForAsync(string eventName)
    {
        for (var i = 0; i < 100; i++)
        {
            var match = _received.FirstOrDefault(e => e.GetProperty("EventName").GetString() == eventName);
            if (match.ValueKind != JsonValueKind.Undefined) return match;
            await Task.Delay(50);
        }
        throw new TimeoutException($"No {eventName} event arrived.");
    }

    [Fact]
    public async Task Registration_lifecycle_and_events_are_delivered_with_retries()
    {
        var (events, list) = await emulator.GetAsync("/webhooks/v1/registration/events");
        Assert.Equal(HttpStatusCode.OK, events.StatusCode);
        Assert.Contains("subscription-updated", list.EnumerateArray().Select(e => e.GetString()));

        Assert.Equal(HttpStatusCode.NotFound, (await emulator.GetAsync("/webhooks/v1/registration")).Response.StatusCode);
        var (bad, _) = await emulator.PostAsync("/webhooks/v1/registration", new { WebhookUrl = "not a url", WebhookEvents = new[] { "test-created" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        var (registered, registration) = await emulator.PostAsync("/webhooks/v1/registration",
            new { WebhookUrl = _receiverUrl, WebhookEvents = new[] { "test-created", "customer-created" } });
        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        Assert.True(registration.TryGetProperty("SubscriberId", out _));

        var (updated, updatedBody) = await emulator.SendAsync(HttpMethod.Put, "/webhooks/v1/registration",
            new { WebhookUrl = _receiverUrl, WebhookEvents = new[] { "test-created", "customer-created", "subscription-updated" } });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(3, updatedBody.GetProperty("WebhookEvents").GetArrayLength());
        Assert.Equal(3, (await emulator.GetAsync("/webhooks/v1/registration")).Body.GetProperty("WebhookEvents").GetArrayLength());

        _failuresLeft = 2;
        var (test, testBody) = await emulator.PostAsync("/webhooks/v1/registration/validationEvents", null);
        Assert.Equal(HttpStatusCode.OK, test.StatusCode);
        var correlationId = testBody.GetProperty("correlationId").GetString();
        var testEvent = await WaitForAsync("test-created");
        Assert.Equal("test", testEvent.GetProperty("ResourceName").GetString());
        // The receiver sees the delivery before the dispatcher records its answer: read the status until the third result is in.
        var (_, status) = await emulator.GetAsync($"/webhooks/v1/registration/validationEvents/{correlationId}");
        for (var attempt = 0; attempt < 50 && status.GetProperty("results").GetArrayLength() < 3; attempt++)
        {
            await Task.Delay(100);
            (_, status) = await emulator.GetAsync($"/webhooks/v1/registration/validationEvents/{correlationId}");
        }
        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.Equal(3, status.GetProperty("results").GetArrayLength());

        Assert.Equal(HttpStatusCode.OK, (await emulator.PostAsync("/webhooks/v1/registration/validationEvents", null)).Response.StatusCode);
        var (third, _) = await emulator.PostAsync("/webhooks/v1/registration/validationEvents", null);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode); // two test events a minute
        Assert.NotNull(third.Headers.RetryAfter);

        var (customerId, _, _) = await emulator.CreateCustomerAsync("hook");
        var created = await WaitForAsync("customer-created");
        Assert.EndsWith($"/v1/customers/{customerId}", created.GetProperty("ResourceUri").GetString());
        var subscriptionId = await emulator.BuyAsync(customerId, Catalog.BusinessBasic, 1);
        await emulator.PatchAsync($"/v1/customers/{customerId}/subscriptions/{subscriptionId}", new { quantity = 2 });
        var updatedEvent = await WaitForAsync("subscription-updated");
        Assert.Equal("subscription", updatedEvent.GetProperty("ResourceName").GetString());

        await emulator.SendAsync(HttpMethod.Put, "/webhooks/v1/registration",
            new { WebhookUrl = _receiverUrl, WebhookEvents = new[] { "subscription-renewed", "invoice-ready" } });
        await emulator.PostAsync("/_emulator/clock/advance", new { days = 40 });
        var renewed = await WaitForAsync("subscription-renewed");
        Assert.EndsWith($"/customers/{customerId}/subscriptions/{subscriptionId}", renewed.GetProperty("ResourceUri").GetString());
        var invoiceReady = await WaitForAsync("invoice-ready");
        Assert.Equal("invoice", invoiceReady.GetProperty("ResourceName").GetString());
        Assert.Contains("/v1/invoices/G", invoiceReady.GetProperty("ResourceUri").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await emulator.SendAsync(HttpMethod.Delete, "/webhooks/v1/registration")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await emulator.GetAsync("/webhooks/v1/registration")).Response.StatusCode);
    }

    private sealed record Delivery(byte[] Body, IReadOnlyDictionary<string, string> Headers);

    [Fact]
    public async Task Deliveries_are_signed_as_Partner_Center_signs_them_with_the_certificate_the_emulator_serves()
    {
        await emulator.PostAsync("/webhooks/v1/registration", new { WebhookUrl = _receiverUrl, WebhookEvents = new[] { "customer-created" } });
        var (customerId, _, _) = await emulator.CreateCustomerAsync("signed");
        await WaitForAsync("customer-created");
        // The other test starts without a registration.
        await emulator.SendAsync(HttpMethod.Delete, "/webhooks/v1/registration");
        var delivery = _deliveries.Single(d => Encoding.UTF8.GetString(d.Body).Contains(customerId.ToString()));

        Assert.Equal("application/json; charset=utf-8", delivery.Headers["Content-Type"]);
        Assert.Equal("rsa-sha256", delivery.Headers["X-MS-Signature-Algorithm"]);
        Assert.StartsWith("Signature ", delivery.Headers["Authorization"]);
        var signature = Convert.FromBase64String(delivery.Headers["Authorization"]["Signature ".Length..]);
        var certificateUrl = new Uri(delivery.Headers["X-MS-Certificate-Url"]);
        Assert.Equal(new Uri(emulator.BaseUrl).Authority, certificateUrl.Authority);

        using var anonymous = new HttpClient();
        using var served = await anonymous.GetAsync(certificateUrl);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        using var certificate = X509CertificateLoader.LoadCertificate(await served.Content.ReadAsByteArrayAsync());
        Assert.False(certificate.HasPrivateKey);
        Assert.InRange(emulator.App.Services.GetRequiredService<Skyport.PartnerCenterEmulator.Core.EmulatorClock>().UtcNow, certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime());
        using var key = certificate.GetRSAPublicKey()!;
        Assert.True(key.VerifyData(delivery.Body, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        var changed = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(delivery.Body).Replace("customer-created", "customer-deleted"));
        Assert.False(key.VerifyData(changed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public async Task The_signing_certificate_is_kept_in_the_state_file_across_restarts()
    {
        var folder = Directory.CreateTempSubdirectory("emulator-webhooks-");
        try
        {
            var options = new Skyport.PartnerCenterEmulator.EmulatorOptions { StatePath = Path.Combine(folder.FullName, "emulator.db"), MinimumLogLevel = LogLevel.Warning };
            async Task<byte[]> ServedCertificateAsync()
            {
                await using var app = Skyport.PartnerCenterEmulator.EmulatorApp.Create([], options);
                app.Urls.Add("http://127.0.0.1:0");
                await app.StartAsync();
                using var http = new HttpClient();
                var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
                var certificate = await http.GetByteArrayAsync(url + "/_emulator/webhooks/certificate.cer");
                await app.StopAsync();
                return certificate;
            }

            var first = await ServedCertificateAsync();
            Assert.Equal(first, await ServedCertificateAsync());
            Assert.Equal(["emulator.db"], folder.GetFiles().Select(f => f.Name).Where(n => !n.StartsWith("emulator.db-")));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }
}
