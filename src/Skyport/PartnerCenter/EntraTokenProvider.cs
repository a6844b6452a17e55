using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.Kiota.Abstractions.Authentication;

namespace Skyport.PartnerCenter;

/// <summary>Client-credentials tokens from the Entra-shaped token endpoint, cached per tenant and scope until shortly before they expire. A singleton.</summary>
public sealed class EntraTokenProvider(IHttpClientFactory httpClients, IOptions<PartnerCenterOptions> options)
{
    public const string HttpClientName = "PartnerCenter.Tokens";

    private readonly ConcurrentDictionary<(string Tenant, string Scope), (string Token, DateTimeOffset Expires)> _cache = new();
    private readonly SemaphoreSlim _lock = new(1, 1);

    public async Task<string> GetTokenAsync(string tenantId, string scope, CancellationToken ct = default)
    {
        // Token lifetimes are real time, whatever clock the rest of Skyport follows.
        var now = DateTimeOffset.UtcNow;
        if (_cache.TryGetValue((tenantId, scope), out var cached) && cached.Expires > now) return cached.Token;
        await _lock.WaitAsync(ct);
        try
        {
            if (_cache.TryGetValue((tenantId, scope), out cached) && cached.Expires > now) return cached.Token;
            var o = options.Value;
            using var response = await httpClients.CreateClient(HttpClientName).PostAsync($"{o.AuthorityUrl!.TrimEnd('/')}/{tenantId}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = o.ClientId,
                ["client_secret"] = o.ClientSecret,
                ["scope"] = scope,
            }), ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"The token endpoint refused tenant {tenantId}: {(int)response.StatusCode} {text}", null, response.StatusCode);
            }
            using var doc = JsonDocument.Parse(text);
            var token = doc.RootElement.GetProperty("access_token").GetString()!;
            var lifetime = TimeSpan.FromSeconds(doc.RootElement.GetProperty("expires_in").GetInt32());
            _cache[(tenantId, scope)] = (token, now + lifetime - TimeSpan.FromMinutes(5));
            return token;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>A Kiota token provider for Graph calls on one tenant.</summary>
    public IAccessTokenProvider ForGraph(string tenantId) => new GraphTokens(this, tenantId);

    private sealed class GraphTokens(EntraTokenProvider tokens, string tenantId) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new();

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
            tokens.GetTokenAsync(tenantId, PartnerCenterOptions.GraphScope, cancellationToken);
    }
}
