using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;
using Microsoft.Kiota.Abstractions.Authentication;
using Skyport.Data;
using Skyport.Features.PartnerCenterConnection;

namespace Skyport.PartnerCenter;

/// <summary>Which token a call needs: Partner Center documents each route as app-only and App+User, or App+User only.</summary>
public enum TokenKind
{
    /// <summary>Client credentials: the partner's application alone, for any tenant.</summary>
    AppOnly,
    /// <summary>A partner user (signed in with MFA) through the partner's application, in the partner's tenant.</summary>
    AppUser,
}

/// <summary>
/// Tokens through MSAL (<c>Microsoft.Identity.Client</c>). App-only: <c>AcquireTokenForClient</c> per tenant, cached in memory by
/// MSAL. App+User: the authorization code with PKCE from the Connect Partner Center page (or <c>PartnerCenter:RefreshToken</c>),
/// then <c>AcquireTokenSilent</c>, which refreshes; MSAL's user token cache lives in the database, encrypted with Data
/// Protection, so every instance shares the grant. A singleton.
/// </summary>
public sealed class EntraTokenProvider(
    IOptions<PartnerCenterOptions> options, IServiceScopeFactory scopes, IDataProtectionProvider protection, IHttpClientFactory httpClients,
    TimeProvider clock, ILogger<EntraTokenProvider> logger)
{
    public const string HttpClientName = "PartnerCenter.Tokens";
    /// <summary>refresh-tokens: "90 days for all other scenarios".</summary>
    public static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromDays(90);
    private static readonly TimeSpan SettingsLifetime = TimeSpan.FromSeconds(30);

    private readonly IDataProtector _protector = protection.CreateProtector("Skyport.PartnerCenter.Connection.v1");
    private readonly SemaphoreSlim _grantLock = new(1, 1);
    private readonly Lock _appLock = new();
    private (PartnerCenterSettings Settings, IConfidentialClientApplication App)? _app;
    private (PartnerCenterSettings Settings, string? AccountId, long ReadAt)? _settings;
    /// <summary>When each MSAL cache was last read from or written to the database (MSAL keeps it in memory between).</summary>
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<ITokenCacheSerializer, System.Runtime.CompilerServices.StrongBox<long>> _cacheSyncedAt = [];

    /// <summary>An app-only token for <paramref name="tenantId"/>.</summary>
    public Task<string> GetTokenAsync(string tenantId, string scope, CancellationToken ct = default) => GetTokenAsync(TokenKind.AppOnly, tenantId, scope, ct);

    /// <summary>
    /// A token of the kind asked for. App+User tokens are for the partner's tenant (<paramref name="tenantId"/> is not used) and
    /// throw <see cref="PartnerCenterSignInRequiredException"/> when no grant works.
    /// </summary>
    public async Task<string> GetTokenAsync(TokenKind kind, string tenantId, string scope, CancellationToken ct = default)
    {
        var app = Application(await SettingsAsync(ct));
        if (kind == TokenKind.AppOnly)
        {
            return (await app.AcquireTokenForClient([scope]).WithTenantId(tenantId).ExecuteAsync(ct)).AccessToken;
        }
        return await UserTokenAsync(app, UserScope(scope), ct);
    }

    private async Task<string?> AccountIdAsync(CancellationToken ct)
    {
        await SettingsAsync(ct);
        return _settings?.AccountId;
    }

    /// <summary>A Kiota token provider for Graph calls on one tenant (app-only).</summary>
    public IAccessTokenProvider ForGraph(string tenantId) => new GraphTokens(this, tenantId);

    /// <summary>The settings in force: configuration's where it gives them, else the Connect Partner Center page's.</summary>
    public async Task<PartnerCenterSettings> SettingsAsync(CancellationToken ct = default)
    {
        if (_settings is { } cached && Environment.TickCount64 - cached.ReadAt < SettingsLifetime.TotalMilliseconds) return cached.Settings;
        var row = await ReadConnectionAsync(ct);
        var o = options.Value;
        string Pick(string name, string? configured, string? saved) => o.ConfiguredSettings.Contains(name) ? configured ?? "" : saved ?? configured ?? "";
        var secret = row?.ProtectedClientSecret is { } sealedSecret ? Unprotect(sealedSecret) : null;
        var settings = new PartnerCenterSettings(Pick("TenantId", o.TenantId, row?.TenantId), Pick("ClientId", o.ClientId, row?.ClientId),
            Pick("ClientSecret", o.ClientSecret, secret));
        _settings = (settings, row?.AccountId, Environment.TickCount64);
        return settings;
    }

    /// <summary>Forgets what was read from the database (the page saved new settings or a sign-in).</summary>
    public void Forget() => _settings = null;

    private void ReloadCaches()
    {
        foreach (var (_, synced) in _cacheSyncedAt) Interlocked.Exchange(ref synced.Value, 0);
    }

    /// <summary>
    /// Starts a sign-in: MSAL's authorize URL with PKCE for <paramref name="redirectUri"/>, the code verifier to keep until the
    /// callback, and the <c>state</c> MSAL put in the URL.
    /// </summary>
    public async Task<(Uri Url, string CodeVerifier, string State)> StartSignInAsync(string redirectUri, CancellationToken ct = default)
    {
        var settings = await SettingsAsync(ct);
        if (options.Value.IsEmulator) await RegisterRedirectUriWithEmulatorAsync(redirectUri, ct);
        var state = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var url = await Application(settings, redirectUri).GetAuthorizationRequestUrl([PartnerCenterOptions.PartnerCenterUserScope])
            .WithPkce(out var verifier)
            .WithExtraQueryParameters(new Dictionary<string, (string, bool)> { ["state"] = (state, false) })
            .ExecuteAsync(ct);
        return (MsalHttp.OnConfiguredAddress(url, options.Value.AuthorityUrl!), verifier, state);
    }

    /// <summary>Redeems the code the authorize endpoint sent back; MSAL keeps the refresh token in the shared cache.</summary>
    public async Task<AuthenticationResult> CompleteSignInAsync(string redirectUri, string code, string codeVerifier, CancellationToken ct = default)
    {
        var app = Application(await SettingsAsync(ct), redirectUri);
        var result = await app.AcquireTokenByAuthorizationCode([PartnerCenterOptions.PartnerCenterUserScope], code).WithPkceCodeVerifier(codeVerifier).ExecuteAsync(ct);
        await RecordSignInAsync(result, ct);
        return result;
    }

    private async Task<string> UserTokenAsync(IConfidentialClientApplication app, string scope, CancellationToken ct)
    {
        var account = await AccountIdAsync(ct) is { } id ? await app.GetAccountAsync(id) : null;
        if (account is null)
        {
            await _grantLock.WaitAsync(ct);
            try
            {
                Forget();
                ReloadCaches();
                account = await AccountIdAsync(ct) is { } again ? await app.GetAccountAsync(again) : null;
                if (account is null) return await RedeemGrantAsync(app, scope, ct);
            }
            finally
            {
                _grantLock.Release();
            }
        }
        try
        {
            return (await app.AcquireTokenSilent([scope], account).ExecuteAsync(ct)).AccessToken;
        }
        catch (MsalUiRequiredException)
        {
            // The refresh token in memory may be older than a new sign-in saved since (here or on another instance).
            ReloadCaches();
        }
        try
        {
            return (await app.AcquireTokenSilent([scope], account).ExecuteAsync(ct)).AccessToken;
        }
        catch (MsalUiRequiredException e)
        {
            throw await RefusedAsync(e, ct);
        }
    }

    /// <summary>No account in the cache yet: the configured refresh token, or (against an emulator, first start) the emulator's Admin agent.</summary>
    private async Task<string> RedeemGrantAsync(IConfidentialClientApplication app, string scope, CancellationToken ct)
    {
        var refreshToken = options.Value.RefreshToken;
        if (refreshToken is null && options.Value is { IsEmulator: true, EmulatorAutoConnect: true } && (await ReadConnectionAsync(ct))?.SignedInAt is null)
        {
            refreshToken = await EmulatorAdminAgentRefreshTokenAsync(ct);
        }
        if (refreshToken is null)
        {
            throw new PartnerCenterSignInRequiredException("No one has signed in to Partner Center yet: a broker administrator signs in with Microsoft on the Connect Partner Center page.");
        }
        try
        {
            var result = await ((IByRefreshToken)app).AcquireTokenByRefreshToken([scope], refreshToken).ExecuteAsync(ct);
            await RecordSignInAsync(result, ct);
            return result.AccessToken;
        }
        catch (MsalServiceException e) when (e.ErrorCode is "invalid_grant" || e is MsalUiRequiredException)
        {
            throw await RefusedAsync(e, ct);
        }
    }

    private async Task<PartnerCenterSignInRequiredException> RefusedAsync(MsalException refusal, CancellationToken ct)
    {
        logger.LogWarning("Entra refused the App+User grant: {Reason}", refusal.Message);
        await UpdateConnectionAsync(c => c.SignInNeeded = refusal.Message.Length > 2000 ? refusal.Message[..2000] : refusal.Message, ct);
        return new PartnerCenterSignInRequiredException("Partner Center needs a new sign-in: " + refusal.Message, refusal);
    }

    private async Task RecordSignInAsync(AuthenticationResult result, CancellationToken ct)
    {
        ReloadCaches();
        await UpdateConnectionAsync(c =>
        {
            c.AccountId = result.Account?.HomeAccountId?.Identifier;
            c.SignedInUser = result.Account?.Username;
            c.SignedInName = result.ClaimsPrincipal?.FindFirst("name")?.Value ?? result.Account?.Username;
            c.SignedInAt = clock.GetUtcNow();
            c.SignInNeeded = null;
        }, ct);
    }

    private IConfidentialClientApplication Application(PartnerCenterSettings settings, string? redirectUri = null)
    {
        lock (_appLock)
        {
            if (redirectUri is null && _app is { } cached && cached.Settings == settings) return cached.App;
        }
        var builder = ConfidentialClientApplicationBuilder.Create(settings.ClientId)
            .WithClientSecret(settings.ClientSecret)
            .WithAuthority($"{MsalHttp.MsalAuthority(options.Value.AuthorityUrl!)}/{settings.TenantId}", validateAuthority: false)
            .WithInstanceDiscovery(false)
            .WithHttpClientFactory(new MsalHttpClients(httpClients));
        if (redirectUri is not null) builder = builder.WithRedirectUri(redirectUri);
        var app = builder.Build();
        app.UserTokenCache.SetBeforeAccessAsync(LoadCacheAsync);
        app.UserTokenCache.SetAfterAccessAsync(SaveCacheAsync);
        if (redirectUri is null)
        {
            lock (_appLock) _app = (settings, app);
        }
        return app;
    }

    private async Task LoadCacheAsync(TokenCacheNotificationArgs args)
    {
        // Every App+User call would otherwise read the database: the cache in memory is good for a while, because another
        // instance's refresh leaves this one's refresh token valid, and a new sign-in elsewhere changes the account, which
        // makes the caller reload (ReloadCaches).
        var synced = _cacheSyncedAt.GetOrCreateValue(args.TokenCache);
        if (Environment.TickCount64 - Interlocked.Read(ref synced.Value) < SettingsLifetime.TotalMilliseconds) return;
        var row = await ReadConnectionAsync(args.CancellationToken);
        byte[]? cache = null;
        try
        {
            cache = row?.ProtectedTokenCache is { } sealedCache ? _protector.Unprotect(Convert.FromBase64String(sealedCache)) : null;
        }
        catch (CryptographicException e)
        {
            // Encrypted with a key this instance does not have: as good as no sign-in, which the page then asks for.
            logger.LogWarning(e, "The saved Partner Center sign-in cannot be decrypted here (Data Protection keys differ)");
        }
        args.TokenCache.DeserializeMsalV3(cache, shouldClearExistingCache: true);
        Interlocked.Exchange(ref synced.Value, Environment.TickCount64);
    }

    private async Task SaveCacheAsync(TokenCacheNotificationArgs args)
    {
        if (!args.HasStateChanged) return;
        var bytes = args.TokenCache.SerializeMsalV3();
        await UpdateConnectionAsync(c => c.ProtectedTokenCache = Convert.ToBase64String(_protector.Protect(bytes)), args.CancellationToken);
        Interlocked.Exchange(ref _cacheSyncedAt.GetOrCreateValue(args.TokenCache).Value, Environment.TickCount64);
    }

    public string Protect(string secret) => Convert.ToBase64String(_protector.Protect(Encoding.UTF8.GetBytes(secret)));

    private string? Unprotect(string sealedText)
    {
        try
        {
            return Encoding.UTF8.GetString(_protector.Unprotect(Convert.FromBase64String(sealedText)));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    public async Task<PartnerConnection?> ReadConnectionAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SkyportDbContext>();
        return await db.PartnerCenterConnections.AsNoTracking().FirstOrDefaultAsync(c => c.Id == PartnerConnection.TheOne, ct);
    }

    /// <summary>Changes the one connection row (made on first use; two first uses at once both land, the second as an update).</summary>
    public async Task UpdateConnectionAsync(Action<PartnerConnection> change, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SkyportDbContext>();
            var row = await db.PartnerCenterConnections.FirstOrDefaultAsync(c => c.Id == PartnerConnection.TheOne, ct);
            var isNew = row is null;
            row ??= db.PartnerCenterConnections.Add(new PartnerConnection()).Entity;
            change(row);
            row.UpdatedAt = clock.GetUtcNow();
            try
            {
                await db.SaveChangesAsync(ct);
                Forget();
                return;
            }
            catch (DbUpdateException) when (isNew && attempt < 3)
            {
                // Another caller made the row meanwhile: apply the change to that one.
            }
        }
    }

    /// <summary>Delegated scopes name the resource's <c>user_impersonation</c>; callers may pass the resource's <c>.default</c>.</summary>
    private static string UserScope(string scope) => scope switch
    {
        PartnerCenterOptions.PartnerCenterScope => PartnerCenterOptions.PartnerCenterUserScope,
        PartnerCenterOptions.PartnerApiScope => PartnerCenterOptions.PartnerApiUserScope,
        _ => scope,
    };

    private async Task<string?> EmulatorAdminAgentRefreshTokenAsync(CancellationToken ct)
    {
        var http = httpClients.CreateClient(HttpClientName);
        var baseUrl = options.Value.BaseUrl!.TrimEnd('/');
        var users = await http.GetFromJsonAsync<JsonElement>($"{baseUrl}/_emulator/partner/users", ct);
        var admin = users.EnumerateArray().FirstOrDefault(u => u.GetProperty("roles").EnumerateArray().Any(r => r.GetString() == "Admin agent"));
        if (admin.ValueKind != JsonValueKind.Object) return null;
        var upn = admin.GetProperty("userPrincipalName").GetString()!;
        var clientId = (await SettingsAsync(ct)).ClientId;
        using var response = await http.PostAsJsonAsync($"{baseUrl}/_emulator/partner/users/{Uri.EscapeDataString(upn)}/refresh-token", new { clientId }, ct);
        response.EnsureSuccessStatusCode();
        logger.LogInformation("Connected to the emulator's Partner Center as its Admin agent {User}", upn);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("refresh_token").GetString();
    }

    private async Task RegisterRedirectUriWithEmulatorAsync(string redirectUri, CancellationToken ct)
    {
        using var response = await httpClients.CreateClient(HttpClientName)
            .PostAsJsonAsync($"{options.Value.BaseUrl!.TrimEnd('/')}/_emulator/app/redirect-uris", new { redirectUri }, ct);
        response.EnsureSuccessStatusCode();
    }

    private sealed class GraphTokens(EntraTokenProvider tokens, string tenantId) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new();

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
            tokens.GetTokenAsync(TokenKind.AppOnly, tenantId, PartnerCenterOptions.GraphScope, cancellationToken);
    }
}

/// <summary>The partner's application as Skyport signs in with it.</summary>
public sealed record PartnerCenterSettings(string TenantId, string ClientId, string ClientSecret);
