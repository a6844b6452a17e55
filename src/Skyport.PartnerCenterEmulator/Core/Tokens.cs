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
        var header = B64(JsonSerializer.SerializeToUtf8Bytes(new { typ = "JWT", alg = "HS256" }));
        var payload = B64(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["aud"] = audience,
            ["iss"] = $"https://sts.windows.net/{tenantId}/",
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + lifetime).ToUnixTimeSeconds(),
            ["appid"] = clientId,
            ["tid"] = tenantId.ToString(),
            ["roles"] = new[] { "Directory.ReadWrite.All", "User.ReadWrite.All" },
        }));
        var signature = B64(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(header + "." + payload)));
        return header + "." + payload + "." + signature;
    }

    /// <summary>The token's tenant and audience, or null when it is not one this emulator issued or it expired.</summary>
    public (Guid TenantId, string Audience)? Validate(string token, DateTimeOffset now)
    {
        var parts = token.Split('.');
        if (parts.Length != 3) return null;
        var expected = B64(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1])));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(parts[2])))
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(FromB64(parts[1]));
            var exp = doc.RootElement.GetProperty("exp").GetInt64();
            if (exp < now.ToUnixTimeSeconds()) return null;
            return (Guid.Parse(doc.RootElement.GetProperty("tid").GetString()!), doc.RootElement.GetProperty("aud").GetString()!);
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException)
        {
            return null;
        }
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromB64(string s)
    {
        s = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }
}

public static class TokenEndpoint
{
    public static void Map(WebApplication app)
    {
        app.MapPost("/{tenant}/oauth2/v2.0/token", async (string tenant, HttpContext http, EmulatorDb db, TokenService tokens, EmulatorOptions options) =>
        {
            if (!http.Request.HasFormContentType)
            {
                return EntraError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.");
            }
            var form = await http.Request.ReadFormAsync();
            var grantType = form["grant_type"].ToString();
            var clientId = form["client_id"].ToString();
            var clientSecret = form["client_secret"].ToString();
            var scope = form["scope"].ToString();
            if (grantType.Length == 0)
            {
                return EntraError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.");
            }
            if (grantType != "client_credentials")
            {
                return EntraError(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type '" + grantType + "'.");
            }
            if (clientId.Length == 0)
            {
                return EntraError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
            }
            if (scope.Length == 0)
            {
                return EntraError(400, "invalid_request", 90014, "The required field 'scope' is missing from the credential.");
            }
            Tenant? found = Guid.TryParse(tenant, out var tenantId)
                ? await db.Tenants.FindAsync(tenantId)
                : await db.Tenants.FirstOrDefaultAsync(t => t.Domain == tenant.ToLower());
            if (found is null)
            {
                return EntraError(400, "invalid_request", 90002, $"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.");
            }
            // A customer tenant knows the partner's app only once it was consented there (applicationconsents):
            // without a service principal Entra answers AADSTS7000229 (docs/microsoft-contract.md §4.2).
            if (!found.IsPartner && !Customers.ApplicationConsentEndpoints.IsConsented(found, clientId))
            {
                return EntraError(401, "invalid_client", 7000229, $"The client application {clientId} is missing service principal in the tenant {found.Id}. See instructions here: https://go.microsoft.com/fwlink/?linkid=2225119");
            }
            if ((options.ClientId is not null && options.ClientId != clientId) || (options.ClientSecret is not null && options.ClientSecret != clientSecret))
            {
                return EntraError(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.");
            }
            var audience = scope.Split(' ').Select(s => s.Replace("/.default", "").TrimEnd('/')).FirstOrDefault(s =>
                s.Equals(TokenService.PartnerCenterAudience, StringComparison.OrdinalIgnoreCase) || s.Equals(TokenService.GraphAudience, StringComparison.OrdinalIgnoreCase)
                || s.Equals(TokenService.PartnerApiAudience, StringComparison.OrdinalIgnoreCase));
            if (audience is null)
            {
                return EntraError(400, "invalid_resource", 500011, $"The resource principal named {scope} was not found in the tenant named {found.Id}.");
            }
            var lifetime = TimeSpan.FromSeconds(3599);
            return Results.Json(new Dictionary<string, object>
            {
                ["token_type"] = "Bearer",
                ["expires_in"] = 3599,
                ["ext_expires_in"] = 3599,
                ["access_token"] = tokens.Issue(found.Id, clientId, audience.ToLowerInvariant(), DateTimeOffset.UtcNow, lifetime),
            });
        });
    }

    private static IResult EntraError(int status, string error, int code, string description) => Results.Json(new Dictionary<string, object>
    {
        ["error"] = error,
        ["error_description"] = $"AADSTS{code}: {description}",
        ["error_codes"] = new[] { code },
        ["timestamp"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ssZ"),
        ["trace_id"] = Guid.NewGuid(),
        ["correlation_id"] = Guid.NewGuid(),
    }, statusCode: status);
}
