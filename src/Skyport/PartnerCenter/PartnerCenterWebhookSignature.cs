using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Skyport.Web;

namespace Skyport.PartnerCenter;

/// <summary>
/// Checks that a webhook comes from Partner Center, as its webhooks page says ("Authenticate the callback"): the body
/// is signed with RSA-SHA256 (<c>Authorization: Signature &lt;base64&gt;</c>, <c>X-MS-Signature-Algorithm: rsa-sha256</c>)
/// by the certificate at <c>X-MS-Certificate-Url</c>. That URL comes with the request, so the certificate is fetched only
/// from a trusted host, over https (plain http only on loopback), and kept by URL for an hour.
/// </summary>
public sealed class PartnerCenterWebhookSignature(
    IHttpClientFactory httpClients,
    IOptions<PartnerCenterOptions> options,
    TimeProvider time,
    ILogger<PartnerCenterWebhookSignature> logger) : IDisposable
{
    public const string HttpClientName = "PartnerCenterWebhookCertificates";

    // A certificate is one to two KiB; anything much larger at a certificate URL is not one.
    private const int MaxCertificateBytes = 64 * 1024;

    // Only fetched certificates are kept, and only from trusted hosts: a few entries cover Microsoft's renewals.
    private readonly MemoryCache _certificates = new(new MemoryCacheOptions { SizeLimit = 16 });

    /// <summary>Null when the body carries Partner Center's valid signature; otherwise why not.</summary>
    public async Task<Failure?> CheckAsync(IHeaderDictionary headers, byte[] body, CancellationToken ct)
    {
        var authorization = headers.Authorization.ToString();
        if (!authorization.StartsWith("Signature ", StringComparison.OrdinalIgnoreCase))
        {
            return Failure.Unauthenticated("The request carries no Partner Center signature (Authorization: Signature …).");
        }
        var signature = new byte[authorization.Length];
        if (!Convert.TryFromBase64String(authorization["Signature ".Length..].Trim(), signature, out var signatureLength))
        {
            return Failure.Unauthenticated("The signature is not base64.");
        }
        if (!string.Equals(headers["X-MS-Signature-Algorithm"], "rsa-sha256", StringComparison.OrdinalIgnoreCase))
        {
            return Failure.Unauthenticated("X-MS-Signature-Algorithm must be rsa-sha256.");
        }
        if (!Uri.TryCreate(headers["X-MS-Certificate-Url"], UriKind.Absolute, out var certificateUrl)
            || !IsTrustedLocation(certificateUrl, options.Value.WebhookCertificateHosts ?? [PartnerCenterOptions.MicrosoftWebhookCertificateHost]))
        {
            logger.LogWarning("A Partner Center webhook named an untrusted certificate URL {Url}", headers["X-MS-Certificate-Url"].ToString());
            return Failure.Unauthenticated("X-MS-Certificate-Url is not on a trusted certificate host (PartnerCenter:WebhookCertificateHosts).");
        }
        var certificate = await CertificateAsync(certificateUrl, ct);
        if (certificate is null)
        {
            return Failure.Unauthenticated("The certificate at X-MS-Certificate-Url could not be read.");
        }
        if (!IsValidAt(certificate, time.GetUtcNow()))
        {
            return Failure.Unauthenticated("The signing certificate is outside its validity dates.");
        }
        return Verify(body, signature.AsSpan(0, signatureLength), certificate)
            ? null
            : Failure.Unauthenticated("The signature does not match the body.");
    }

    /// <summary>Whether <paramref name="signature"/> is the certificate's RSA-SHA256 (PKCS#1 v1.5) signature of exactly <paramref name="body"/>.</summary>
    public static bool Verify(ReadOnlySpan<byte> body, ReadOnlySpan<byte> signature, X509Certificate2 certificate)
    {
        using var key = certificate.GetRSAPublicKey();
        return key is not null && key.VerifyData(body, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    /// <summary>https (or http on loopback), no user info, and the host (with its port unless the default) in the trusted list.</summary>
    public static bool IsTrustedLocation(Uri url, IEnumerable<string> trustedHosts) =>
        url.IsAbsoluteUri
        && (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback))
        && url.UserInfo.Length == 0
        && trustedHosts.Any(host => string.Equals(host, url.Authority, StringComparison.OrdinalIgnoreCase));

    public static bool IsValidAt(X509Certificate2 certificate, DateTimeOffset now) =>
        certificate.NotBefore.ToUniversalTime() <= now.UtcDateTime && now.UtcDateTime <= certificate.NotAfter.ToUniversalTime();

    private async Task<X509Certificate2?> CertificateAsync(Uri url, CancellationToken ct)
    {
        if (_certificates.TryGetValue(url.AbsoluteUri, out X509Certificate2? cached)) return cached;
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode || response.Content.Headers.ContentLength > MaxCertificateBytes)
            {
                logger.LogWarning("The webhook certificate at {Url} answered {Status}", url, (int)response.StatusCode);
                return null;
            }
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            using var buffer = new MemoryStream();
            var chunk = new byte[8192];
            int read;
            while ((read = await stream.ReadAsync(chunk, ct)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxCertificateBytes) return null;
            }
            var certificate = X509CertificateLoader.LoadCertificate(buffer.ToArray());
            _certificates.Set(url.AbsoluteUri, certificate, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = TimeSpan.FromHours(1) });
            return certificate;
        }
        catch (Exception e) when (e is HttpRequestException or CryptographicException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            logger.LogWarning(e, "Could not read the webhook certificate at {Url}", url);
            return null;
        }
    }

    public void Dispose() => _certificates.Dispose();
}
