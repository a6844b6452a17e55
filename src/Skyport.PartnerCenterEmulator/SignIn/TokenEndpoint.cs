using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.EntityFrameworkCore;
using Skyport.PartnerCenterEmulator.Core;

namespace Skyport.PartnerCenterEmulator.SignIn;

/// <summary>
/// Entra's token endpoint: <c>client_credentials</c> (app-only), <c>authorization_code</c> and <c>refresh_token</c>
/// (App+User; entra/identity-platform/v2-oauth2-auth-code-flow, refresh-tokens, reference-error-codes).
/// </summary>
public static class TokenEndpoint
{
    /// <summary>refresh-tokens: "90 days for all other scenarios" (counted on the emulator's clock).</summary>
    public static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromDays(90);
    private static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromSeconds(3599);
    private static readonly string[] Audiences = [TokenService.PartnerCenterAudience, TokenService.GraphAudience, TokenService.PartnerApiAudience];

    public static void Map(WebApplication app)
    {
        app.MapPost("/{tenant}/oauth2/v2.0/token", async (string tenant, HttpContext http, EmulatorDb db, TokenService tokens, EmulatorOptions options,
            SignInFlows flows, EmulatorClock clock) =>
        {
            if (!http.Request.HasFormContentType)
            {
                return EntraError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.");
            }
            var form = await http.Request.ReadFormAsync();
            var grantType = form["grant_type"].ToString();
            var (clientId, clientSecret) = ClientCredentials(http, form);
            var scope = form["scope"].ToString();
            if (grantType.Length == 0)
            {
                return EntraError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.");
            }
            if (grantType is not ("client_credentials" or "authorization_code" or "refresh_token"))
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
                : tenant is "organizations" or "common" ? await db.Tenants.FindAsync(options.PartnerTenantId)
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
            var audience = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(AudienceOf).FirstOrDefault(a => a is not null);
            if (audience is null)
            {
                return EntraError(400, "invalid_resource", 500011, $"The resource principal named {scope} was not found in the tenant named {found.Id}.");
            }
            var now = DateTimeOffset.UtcNow;
            if (grantType == "client_credentials")
            {
                return Results.Json(new Dictionary<string, object>
                {
                    ["token_type"] = "Bearer",
                    ["expires_in"] = 3599,
                    ["ext_expires_in"] = 3599,
                    ["access_token"] = tokens.Issue(found.Id, clientId, audience, now, AccessTokenLifetime),
                });
            }

            PartnerUser? user;
            bool mfa;
            string? nonce = null;
            if (grantType == "authorization_code")
            {
                var code = flows.FindCode(form["code"].ToString());
                if (code is null || code.Request.ClientId != clientId)
                {
                    return EntraError(400, "invalid_grant", 9002313, "Invalid request. Request is malformed or invalid: the authorization code is not valid.");
                }
                if (code.Redeemed)
                {
                    return EntraError(400, "invalid_grant", 54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.");
                }
                if (now - code.IssuedAt > AuthorizationCode.Lifetime)
                {
                    return EntraError(400, "invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.");
                }
                if (form["redirect_uri"].ToString() != code.Request.RedirectUri)
                {
                    return EntraError(400, "invalid_grant", 50011, $"The redirect URI '{form["redirect_uri"]}' specified in the request does not match the redirect URI used to obtain the authorization code.");
                }
                if (code.Request.CodeChallenge is { } challenge && !VerifierMatches(form["code_verifier"].ToString(), challenge, code.Request.CodeChallengeMethod))
                {
                    return EntraError(400, "invalid_grant", 501481, "The Code_Verifier doesn't match the code_challenge supplied in the authorization request.");
                }
                code.Redeemed = true;
                user = await db.PartnerUsers.FindAsync(code.UserId);
                mfa = true;
                nonce = code.Request.Nonce;
            }
            else
            {
                var grant = tokens.ReadRefreshToken(form["refresh_token"].ToString());
                if (grant is null || grant.ClientId != clientId)
                {
                    return EntraError(400, "invalid_grant", 9002313, "Invalid request. Request is malformed or invalid: the refresh token is not valid.");
                }
                user = await db.PartnerUsers.FindAsync(grant.UserId);
                if (user?.RefreshTokensValidAfter is { } validAfter && grant.IssuedAt.UtcDateTime < validAfter)
                {
                    return EntraError(400, "invalid_grant", 50173, "The provided grant has expired due to it being revoked, and a fresh auth token is needed. Either an admin or a user revoked the tokens for this user.");
                }
                var inactive = clock.GetUtcNow() - grant.IssuedAt;
                if (inactive > RefreshTokenLifetime)
                {
                    return EntraError(400, "invalid_grant", 700082, $"The refresh token has expired due to inactivity. The token was issued on {grant.IssuedAt:O} and was inactive for {RefreshTokenLifetime.TotalDays:0}.00:00:00.");
                }
                mfa = grant.Mfa;
            }
            if (user is null)
            {
                return EntraError(400, "invalid_grant", 50034, "The user account does not exist in the directory.");
            }
            return UserTokens(tokens, found.Id, clientId, audience, scope, new SignedInUser(user.Id, user.UserPrincipalName, user.DisplayName, mfa), nonce, now, clock.GetUtcNow());
        });
    }

    /// <summary>
    /// Tokens for a partner user: <c>refresh_token</c> with <c>offline_access</c>, <c>id_token</c> with <c>openid</c>, and the
    /// <c>client_info</c> ({uid, utid}) MSAL builds its account from.
    /// </summary>
    public static IResult UserTokens(TokenService tokens, Guid tenantId, string clientId, string audience, string scope, SignedInUser user, string? nonce,
        DateTimeOffset now, DateTimeOffset emulatorNow)
    {
        var scopes = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var body = new Dictionary<string, object>
        {
            ["token_type"] = "Bearer",
            ["scope"] = string.Join(' ', scopes.Where(s => AudienceOf(s) is not null)),
            ["expires_in"] = 3599,
            ["ext_expires_in"] = 3599,
            ["access_token"] = tokens.IssueForUser(tenantId, clientId, audience, user, now, AccessTokenLifetime),
            ["client_info"] = TokenService.B64(JsonSerializer.SerializeToUtf8Bytes(new { uid = user.ObjectId.ToString(), utid = tenantId.ToString() })),
        };
        if (scopes.Contains("offline_access"))
        {
            body["refresh_token"] = tokens.IssueRefreshToken(new RefreshGrant(user.ObjectId, clientId, user.Mfa, emulatorNow));
        }
        if (scopes.Contains("openid"))
        {
            body["id_token"] = tokens.IssueIdToken(tenantId, clientId, user, nonce, now);
        }
        return Results.Json(body);
    }

    /// <summary>The resource a scope names (<c>…/.default</c>, <c>…/user_impersonation</c>), or null for <c>openid</c> and the like.</summary>
    public static string? AudienceOf(string scope) =>
        Audiences.FirstOrDefault(a => scope.Equals(a, StringComparison.OrdinalIgnoreCase) || scope.StartsWith(a + "/", StringComparison.OrdinalIgnoreCase));

    private static (string ClientId, string ClientSecret) ClientCredentials(HttpContext http, IFormCollection form)
    {
        // v2-oauth2-auth-code-flow: "The Basic auth pattern of instead providing credentials in the Authorization header… is also supported."
        var header = http.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim())).Split(':', 2);
                if (pair.Length == 2) return (Uri.UnescapeDataString(pair[0]), Uri.UnescapeDataString(pair[1]));
            }
            catch (FormatException)
            {
            }
        }
        return (form["client_id"].ToString(), form["client_secret"].ToString());
    }

    private static bool VerifierMatches(string verifier, string challenge, string method)
    {
        if (verifier.Length == 0) return false;
        var expected = method == "S256" ? TokenService.B64(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) : verifier;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(challenge));
    }

    public static IResult EntraError(int status, string error, int code, string description) => Results.Json(new Dictionary<string, object>
    {
        ["error"] = error,
        ["error_description"] = $"AADSTS{code}: {description}",
        ["error_codes"] = new[] { code },
        ["timestamp"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ssZ"),
        ["trace_id"] = Guid.NewGuid(),
        ["correlation_id"] = Guid.NewGuid(),
        ["error_uri"] = $"https://login.microsoftonline.com/error?code={code}",
    }, statusCode: status);
}
