using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Skyport.PartnerCenterEmulator.Core;

namespace Skyport.PartnerCenterEmulator.Webhooks;

/// <summary>
/// Signs webhook deliveries as Partner Center does: RSA-SHA256 (PKCS#1 v1.5) over the body's bytes, the certificate's
/// public part served at <see cref="CertificatePath"/>. Partner Center's certificate chains to Microsoft's root; the
/// emulator's is self-signed, made at first start and kept in the state file, so that a restarted emulator signs with
/// the certificate a receiver may have cached by its URL.
/// </summary>
public sealed class WebhookSigner
{
    public const string CertificatePath = "/_emulator/webhooks/certificate.cer";
    public const string Algorithm = "rsa-sha256";
    private const string MetaKey = "webhookSigningCertificate";

    private X509Certificate2? _certificate;

    public X509Certificate2 Certificate => _certificate ?? throw new InvalidOperationException("The webhook signing certificate is loaded at start.");

    /// <summary>The public certificate, DER-encoded (a <c>.cer</c> file).</summary>
    public byte[] PublicCertificate => Certificate.Export(X509ContentType.Cert);

    /// <summary>The base64 signature Partner Center sends as <c>Authorization: Signature …</c>.</summary>
    public string Sign(ReadOnlySpan<byte> body)
    {
        using var key = Certificate.GetRSAPrivateKey()!;
        return Convert.ToBase64String(key.SignData(body, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    /// <summary>Loads the kept certificate, or makes one when there is none or it does not cover the emulator's clock and real time.</summary>
    internal void Load(EmulatorDb db, EmulatorClock clock)
    {
        var now = clock.GetUtcNow();
        var real = DateTimeOffset.UtcNow;
        var earliest = now < real ? now : real;
        var latest = now > real ? now : real;
        if (db.Meta.Find(MetaKey) is { } kept)
        {
            var certificate = X509CertificateLoader.LoadPkcs12(Convert.FromBase64String(kept.Value), null, X509KeyStorageFlags.EphemeralKeySet);
            if (certificate.NotBefore.ToUniversalTime() <= earliest.UtcDateTime && certificate.NotAfter.ToUniversalTime() >= latest.UtcDateTime)
            {
                _certificate = certificate;
                return;
            }
            certificate.Dispose();
        }
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=pcnotifications-dispatch.emulator, O=Skyport Partner Center emulator", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var made = request.CreateSelfSigned(earliest.AddDays(-1), latest.AddYears(10));
        var pkcs12 = made.Export(X509ContentType.Pkcs12);
        _certificate = X509CertificateLoader.LoadPkcs12(pkcs12, null, X509KeyStorageFlags.EphemeralKeySet);
        if (db.Meta.Find(MetaKey) is { } old) old.Value = Convert.ToBase64String(pkcs12);
        else db.Meta.Add(new MetaValue { Key = MetaKey, Value = Convert.ToBase64String(pkcs12) });
    }
}
