using Microsoft.Extensions.Options;
using Skyport.PartnerCenter;
using Skyport.Web;

namespace Skyport.Features.PartnerCenterConnection;

/// <summary>
/// The broker administrator's Partner Center connection: the partner's application (configuration's values win), and the
/// App+User sign-in whose refresh token MSAL keeps.
/// </summary>
public sealed class ConnectPartnerCenter(EntraTokenProvider tokens, IOptions<PartnerCenterOptions> options)
{
    public sealed record Status(
        PartnerCenterSettings Settings, bool SecretSaved, IReadOnlySet<string> Configured, bool IsEmulator,
        string? SignedInUser, string? SignedInName, DateTimeOffset? SignedInAt, string? SignInNeeded)
    {
        /// <summary>refresh-tokens: a refresh token lasts 90 days (without use); counted from the sign-in to be safe.</summary>
        public DateTimeOffset? SignInAgainBy => SignedInAt + EntraTokenProvider.RefreshTokenLifetime;
    }

    public async Task<Status> StatusAsync(CancellationToken ct)
    {
        var row = await tokens.ReadConnectionAsync(ct);
        var o = options.Value;
        return new Status(await tokens.SettingsAsync(ct), row?.ProtectedClientSecret is not null || o.ConfiguredSettings.Contains("ClientSecret"),
            o.ConfiguredSettings, o.IsEmulator, row?.SignedInUser, row?.SignedInName, row?.SignedInAt, row?.SignInNeeded);
    }

    /// <summary>Saves what configuration does not give; an empty secret keeps the saved one.</summary>
    public async Task<Outcome<bool>> SaveAsync(string? tenantId, string? clientId, string? clientSecret, CancellationToken ct)
    {
        var configured = options.Value.ConfiguredSettings;
        var errors = new Dictionary<string, string[]>();
        tenantId = tenantId?.Trim();
        clientId = clientId?.Trim();
        if (!configured.Contains("TenantId") && !IsTenant(tenantId))
        {
            errors["tenantId"] = ["Enter the partner tenant's ID (a GUID) or its domain, such as contoso.onmicrosoft.com."];
        }
        if (!configured.Contains("ClientId") && (string.IsNullOrEmpty(clientId) || clientId.Length > 100))
        {
            errors["clientId"] = ["Enter the application (client) ID of the partner's app registration."];
        }
        if (!configured.Contains("ClientSecret") && clientSecret is { Length: > 500 })
        {
            errors["clientSecret"] = ["A client secret has at most 500 characters."];
        }
        if (errors.Count > 0) return Failure.Invalid(errors);
        var sealedSecret = string.IsNullOrEmpty(clientSecret) || configured.Contains("ClientSecret") ? null : tokens.Protect(clientSecret);
        await tokens.UpdateConnectionAsync(c =>
        {
            if (!configured.Contains("TenantId")) c.TenantId = tenantId;
            if (!configured.Contains("ClientId")) c.ClientId = clientId;
            if (sealedSecret is not null) c.ProtectedClientSecret = sealedSecret;
        }, ct);
        return true;
    }

    private static bool IsTenant(string? value) =>
        Guid.TryParse(value, out _) || (value is { Length: > 3 and <= 253 } && value.Contains('.') && Uri.CheckHostName(value) == UriHostNameType.Dns);
}
