using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Skyport.Features.Subscriptions;
using Skyport.PartnerCenter;
using Skyport.PartnerCenterEmulator.Webhooks;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Subscriptions;

/// <summary>What the endpoint refuses before reading Partner Center; no data is touched, so one database suffices.</summary>
public sealed class PartnerCenterWebhookVerificationTests(SqliteSkyport app) : IClassFixture<SqliteSkyport>
{
    private const string Event = """{"EventName":"subscription-updated","ResourceUri":"https://api.partnercenter.microsoft.com/webhooks/v1/customers/6a0d8a8c-3c7e-4d43-9a3b-1f7c6d1e2b45/subscriptions/0d2b4a8e-1c3f-4e5a-8b7c-9d0e1f2a3b4c","ResourceName":"subscription","AuditUri":null,"ResourceChangeUtcDate":"2026-01-10T09:00:00Z"}""";

    private EmbeddedEmulator Emulator => app.Services.GetRequiredService<EmbeddedEmulator>();

    private string CertificateUrl => Emulator.BaseUrl + WebhookSigner.CertificatePath;

    /// <summary>A delivery as the emulator signs one, with any part replaced.</summary>
    private HttpRequestMessage Signed(string body, string? signature = null, string? certificateUrl = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, SubscriptionSync.WebhookPath) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-8");
        request.Headers.TryAddWithoutValidation("Authorization", "Signature " + (signature ?? Emulator.WebhookSigner.Sign(bytes)));
        request.Headers.TryAddWithoutValidation("X-MS-Certificate-Url", certificateUrl ?? CertificateUrl);
        request.Headers.TryAddWithoutValidation("X-MS-Signature-Algorithm", "rsa-sha256");
        return request;
    }

    private async Task<JsonNode?> SendAsync(HttpRequestMessage request, HttpStatusCode expected)
    {
        using (request)
        {
            return await (await app.Anonymous().SendAsync(request)).ExpectAsync(expected);
        }
    }

    [Fact]
    public async Task An_event_signed_by_the_emulator_is_accepted() => await SendAsync(Signed(Event), HttpStatusCode.OK);

    [Fact]
    public async Task A_validly_signed_top_level_array_is_refused_with_400()
    {
        var problem = await SendAsync(Signed($"[{Event}]"), HttpStatusCode.BadRequest);
        Assert.NotNull(problem!["errors"]!["$"]);
    }

    [Theory]
    [InlineData("""{"ResourceUri":"https://api.partnercenter.microsoft.com/webhooks/v1/customers/6a0d8a8c-3c7e-4d43-9a3b-1f7c6d1e2b45/subscriptions/x"}""", "EventName")]
    [InlineData("""{"eventName":"subscription-updated","ResourceUri":"https://api.partnercenter.microsoft.com/x"}""", "EventName")]
    [InlineData("""{"EventName":"subscription-updated"}""", "ResourceUri")]
    [InlineData("""{"EventName":"subscription-updated","ResourceUri":42}""", "ResourceUri")]
    [InlineData("""{"EventName":"subscription-updated","ResourceUri":"https://api.partnercenter.microsoft.com/v1/invoices/G1"}""", "ResourceUri")]
    [InlineData("""not json""", "$")]
    public async Task A_signed_body_that_is_not_an_event_is_refused_naming_the_field(string body, string field)
    {
        var problem = await SendAsync(Signed(body), HttpStatusCode.BadRequest);
        Assert.NotNull(problem!["errors"]![field]);
    }

    [Fact]
    public async Task An_event_Skyport_does_not_know_is_acknowledged_and_ignored() =>
        await SendAsync(Signed("""{"EventName":"azure-fraud-event-detected","ResourceUri":"https://api.partnercenter.microsoft.com/v1/customers/x"}"""), HttpStatusCode.OK);

    [Fact]
    public async Task A_6_MB_body_is_refused_with_413()
    {
        var huge = new string(' ', 6 * 1024 * 1024) + Event;
        var problem = await SendAsync(Signed(huge), HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(413, problem!["status"]!.GetValue<int>());

        // Nor does leaving out the length help.
        var chunked = new HttpRequestMessage(HttpMethod.Post, SubscriptionSync.WebhookPath)
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge))),
        };
        chunked.Headers.TransferEncodingChunked = true;
        await SendAsync(chunked, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_signature_made_with_another_key_is_refused_with_401()
    {
        using var otherKey = RSA.Create(2048);
        var signature = Convert.ToBase64String(otherKey.SignData(Encoding.UTF8.GetBytes(Event), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        await SendAsync(Signed(Event, signature: signature), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Another_signature_algorithm_is_refused_with_401()
    {
        var request = Signed(Event);
        request.Headers.Remove("X-MS-Signature-Algorithm");
        request.Headers.TryAddWithoutValidation("X-MS-Signature-Algorithm", "hmac-sha256");
        await SendAsync(request, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_certificate_on_an_untrusted_host_is_refused_with_401_without_fetching_it()
    {
        // The emulator's own certificate, served from another address: the location is refused, not the certificate.
        await using var untrusted = await WebhookReceiver.StartAsync();
        var problem = await SendAsync(Signed(Event, certificateUrl: untrusted.BaseUrl + WebhookSigner.CertificatePath), HttpStatusCode.Unauthorized);
        Assert.Contains("trusted certificate host", problem!["detail"]!.GetValue<string>());
        await SendAsync(Signed(Event, certificateUrl: "https://certificates.example.com/pcnotifications-dispatch.microsoft.com.cer"), HttpStatusCode.Unauthorized);
        // Plain http is for loopback only, even on Microsoft's host.
        await SendAsync(Signed(Event, certificateUrl: $"http://{PartnerCenterOptions.MicrosoftWebhookCertificateHost}/cert/pcnotifications-dispatch.microsoft.com.cer"), HttpStatusCode.Unauthorized);
        Assert.Empty(untrusted.Requests);
    }
}
