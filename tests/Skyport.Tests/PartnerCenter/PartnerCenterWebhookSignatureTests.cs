using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Skyport.PartnerCenter;

namespace Skyport.Tests.PartnerCenter;

/// <summary>The pure core of the signature check.</summary>
public sealed class PartnerCenterWebhookSignatureTests
{
    private static X509Certificate2 Certificate(RSA key, DateTimeOffset notBefore, DateTimeOffset notAfter) =>
        new CertificateRequest("CN=test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(notBefore, notAfter);

    [Fact]
    public void A_signature_verifies_for_exactly_the_signed_body_and_the_signing_key()
    {
        using var key = RSA.Create(2048);
        using var other = RSA.Create(2048);
        using var certificate = Certificate(key, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var otherCertificate = Certificate(other, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var body = Encoding.UTF8.GetBytes("""{"EventName":"test-created"}""");
        var signature = key.SignData(body, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        Assert.True(PartnerCenterWebhookSignature.Verify(body, signature, certificate));
        Assert.False(PartnerCenterWebhookSignature.Verify(Encoding.UTF8.GetBytes("""{"EventName":"test-created" }"""), signature, certificate));
        Assert.False(PartnerCenterWebhookSignature.Verify(body, signature, otherCertificate));
        Assert.False(PartnerCenterWebhookSignature.Verify(body, key.SignData(body, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1), certificate));
    }

    [Fact]
    public void A_certificate_is_valid_between_its_dates_only()
    {
        using var key = RSA.Create(2048);
        var from = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var certificate = Certificate(key, from, from.AddYears(1));
        Assert.True(PartnerCenterWebhookSignature.IsValidAt(certificate, from.AddDays(1)));
        Assert.False(PartnerCenterWebhookSignature.IsValidAt(certificate, from.AddDays(-1)));
        Assert.False(PartnerCenterWebhookSignature.IsValidAt(certificate, from.AddYears(1).AddDays(1)));
    }

    [Theory]
    [InlineData("https://3psostorageacct.blob.core.windows.net/cert/pcnotifications-dispatch.microsoft.com.cer", true)]
    [InlineData("https://3PSOSTORAGEACCT.blob.core.windows.net/cert/x.cer", true)]
    [InlineData("http://3psostorageacct.blob.core.windows.net/cert/x.cer", false)]
    [InlineData("https://3psostorageacct.blob.core.windows.net:8443/cert/x.cer", false)]
    [InlineData("https://user@3psostorageacct.blob.core.windows.net/cert/x.cer", false)]
    [InlineData("https://3psostorageacct.blob.core.windows.net.example.com/cert/x.cer", false)]
    [InlineData("https://example.com/cert/x.cer", false)]
    [InlineData("http://127.0.0.1:5090/_emulator/webhooks/certificate.cer", true)]
    [InlineData("http://127.0.0.1:5091/_emulator/webhooks/certificate.cer", false)]
    [InlineData("http://emulator.example:5090/_emulator/webhooks/certificate.cer", false)]
    [InlineData("https://emulator.example:5090/_emulator/webhooks/certificate.cer", true)]
    [InlineData("file:///etc/ssl/cert.cer", false)]
    public void A_certificate_location_is_trusted_by_host_and_port_over_https_or_loopback(string url, bool trusted) =>
        Assert.Equal(trusted, PartnerCenterWebhookSignature.IsTrustedLocation(new Uri(url),
            [PartnerCenterOptions.MicrosoftWebhookCertificateHost, "127.0.0.1:5090", "emulator.example:5090"]));
}
