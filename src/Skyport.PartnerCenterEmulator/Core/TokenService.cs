using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Skyport.PartnerCenterEmulator.Core;

/// <summary>Access tokens shaped like Microsoft Entra's: a signed JWT naming the tenant it was issued for.</summary>
public sealed class TokenService(EmulatorOptions options)
{
    public const string PartnerCenterAudience = "https://api.partnercenter.microsoft.com";
    public const string GraphAudience = "https://graph.microsoft.com";
    /// <summary>The Partner API (api.partner.microsoft.com): the price sheet's audience (get-a-price-sheet, "Partner API authentication").</summary>
    public const string PartnerApiAudience = "https://api.partner.microsoft.com";

    private readonly byte[] _key = SHA256.HashData(Encoding.UTF8.GetBytes(options.TokenSigningKey));

    public string Issue(Guid tenantId, string clientId, string audience, DateTimeOffset now, TimeSpan lifetime)
    {
        var claims = AccessClaims(tenantId, clientId, audience, now, lifetime);
        claims["roles"] = new[] { "Directory.ReadWrite.All", "User.ReadWrite.All" };
        return Sign(claims);
    }

    /// <summary>
    /// An App+User access token, v1.0-shaped as Partner Center's are: <c>amr</c> exists only in v1.0 tokens
    /// (access-token-claims-reference) and Partner Center checks it for <c>mfa</c> (test-partner-security-requirements).
    /// Delegated tokens carry <c>scp</c>, never <c>roles</c>.
    /// </summary>
    public string IssueForUser(Guid tenantId, string clientId, string audience, SignedInUser user, DateTimeOffset now, TimeSpan lifetime)
    {
        var claims = AccessClaims(tenantId, clientId, audience, now, lifetime);
        claims["oid"] = user.ObjectId.ToString();
        claims["sub"] = user.ObjectId.ToString();
        claims["upn"] = user.UserPrincipalName;
        claims["unique_name"] = user.UserPrincipalName;
        claims["name"] = user.DisplayName;
        claims["scp"] = "user_impersonation";
        claims["amr"] = user.Mfa ? new[] { "pwd", "mfa" } : new[] { "pwd" };
        return Sign(claims);
    }

    private static Dictionary<string, object> AccessClaims(Guid tenantId, string clientId, string audience, DateTimeOffset now, TimeSpan lifetime) => new()
    {
        ["aud"] = audience,
        ["iss"] = $"https://sts.windows.net/{tenantId}/",
        ["iat"] = now.ToUnixTimeSeconds(),
        ["nbf"] = now.ToUnixTimeSeconds(),
        ["exp"] = (now + lifetime).ToUnixTimeSeconds(),
        ["ver"] = "1.0",
        ["appid"] = clientId,
        ["tid"] = tenantId.ToString(),
    };

    /// <summary>The v2.0 id token MSAL reads to build its account (<c>oid</c>, <c>tid</c>, <c>preferred_username</c>).</summary>
    public string IssueIdToken(Guid tenantId, string clientId, SignedInUser user, string? nonce, DateTimeOffset now)
    {
        var claims = new Dictionary<string, object>
        {
            ["aud"] = clientId,
            ["iss"] = $"https://login.microsoftonline.com/{tenantId}/v2.0",
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + TimeSpan.FromHours(1)).ToUnixTimeSeconds(),
            ["ver"] = "2.0",
            ["tid"] = tenantId.ToString(),
            ["oid"] = user.ObjectId.ToString(),
            ["sub"] = user.ObjectId.ToString(),
            ["name"] = user.DisplayName,
            ["preferred_username"] = user.UserPrincipalName,
        };
        if (nonce is not null) claims["nonce"] = nonce;
        return Sign(claims);
    }

    /// <summary>
    /// A refresh token that carries what it grants, signed: the emulator keeps no list of them, so none is revoked by use
    /// (refresh-tokens: "doesn't revoke old refresh tokens when used"); a user's revocation time refuses older ones.
    /// </summary>
    public string IssueRefreshToken(RefreshGrant grant) =>
        "rt." + Sign(new Dictionary<string, object>
        {
            ["sub"] = grant.UserId.ToString(),
            ["cid"] = grant.ClientId,
            ["mfa"] = grant.Mfa,
            ["iat"] = grant.IssuedAt.UtcTicks,
        });

    public RefreshGrant? ReadRefreshToken(string token)
    {
        if (!token.StartsWith("rt.", StringComparison.Ordinal) || ReadSigned(token[3..]) is not { } claims) return null;
        try
        {
            return new RefreshGrant(Guid.Parse(claims.GetProperty("sub").GetString()!), claims.GetProperty("cid").GetString()!,
                claims.GetProperty("mfa").GetBoolean(), new DateTimeOffset(claims.GetProperty("iat").GetInt64(), TimeSpan.Zero));
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The token's tenant, audience and user (null for app-only), or null when it is not one this emulator issued or it expired.</summary>
    public ValidatedToken? Validate(string token, DateTimeOffset now)
    {
        if (ReadSigned(token) is not { } claims) return null;
        try
        {
            var exp = claims.GetProperty("exp").GetInt64();
            if (exp < now.ToUnixTimeSeconds()) return null;
            TokenUser? user = null;
            if (claims.TryGetProperty("scp", out _))
            {
                var amr = claims.TryGetProperty("amr", out var methods) ? methods.EnumerateArray().Select(m => m.GetString()).ToList() : [];
                user = new TokenUser(Guid.Parse(claims.GetProperty("oid").GetString()!), claims.GetProperty("upn").GetString()!, amr.Contains("mfa"));
            }
            return new ValidatedToken(Guid.Parse(claims.GetProperty("tid").GetString()!), claims.GetProperty("aud").GetString()!, user);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException)
        {
            return null;
        }
    }

    private string Sign(Dictionary<string, object> claims)
    {
        var header = B64(JsonSerializer.SerializeToUtf8Bytes(new { typ = "JWT", alg = "HS256" }));
        var payload = B64(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = B64(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(header + "." + payload)));
        return header + "." + payload + "." + signature;
    }

    private JsonElement? ReadSigned(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3) return null;
        var expected = B64(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1])));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(parts[2]))) return null;
        try
        {
            using var doc = JsonDocument.Parse(FromB64(parts[1]));
            return doc.RootElement.Clone();
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return null;
        }
    }

    /// <summary>A fixed six-digit second-factor code per user, like an authenticator app that never moves on.</summary>
    public string MfaCode(Guid userId) =>
        (BitConverter.ToUInt32(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes("mfa:" + userId)), 0) % 1_000_000).ToString("D6");

    public static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromB64(string s)
    {
        s = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }
}
