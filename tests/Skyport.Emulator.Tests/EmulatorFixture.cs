using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;
using Skyport.PartnerCenterEmulator;
using AspNetWebApplication = Microsoft.AspNetCore.Builder.WebApplication;

namespace Skyport.Emulator.Tests;

/// <summary>A live emulator on real Kestrel (127.0.0.1, free port), in-memory state.</summary>
public class EmulatorFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 1, 10, 9, 0, 0, TimeSpan.Zero);

    private AspNetWebApplication? _app;
    public string BaseUrl { get; private set; } = "";
    public HttpClient Http { get; } = new();
    public Guid PartnerTenantId => EmulatorOptions.DefaultPartnerTenantId;
    public AspNetWebApplication App => _app!;

    protected virtual EmulatorOptions Options => new()
    {
        InitialClock = Start,
        MinimumLogLevel = LogLevel.Warning,
        WebhookRetryDelay = TimeSpan.FromMilliseconds(100),
    };

    public async Task InitializeAsync()
    {
        _app = EmulatorApp.Create([], Options);
        _app.Urls.Add("http://127.0.0.1:0");
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        Http.BaseAddress = new Uri(BaseUrl);
        // An App+User token (the seeded Admin agent, signed in with MFA): Partner Center accepts it on every route.
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await UserTokenAsync(PartnerTenantId, PartnerCenterUserScope));
        AppOnlyHttp.BaseAddress = new Uri(BaseUrl);
        AppOnlyHttp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(PartnerTenantId, "https://api.partnercenter.microsoft.com/.default"));
    }

    public const string PartnerCenterUserScope = "https://api.partnercenter.microsoft.com/user_impersonation";
    public string AdminAgent => App.Services.GetRequiredService<EmulatorOptions>().AdminAgentUserPrincipalName;
    /// <summary>Partner Center with an app-only token.</summary>
    public HttpClient AppOnlyHttp { get; } = new();

    /// <summary>A refresh token from the control plane, as if the partner user had signed in (with MFA unless told otherwise).</summary>
    public async Task<string> RefreshTokenAsync(string? userPrincipalName = null, bool mfa = true)
    {
        using var client = new HttpClient();
        var response = await client.PostAsJsonAsync($"{BaseUrl}/_emulator/partner/users/{userPrincipalName ?? AdminAgent}/refresh-token", new { mfa, clientId = "skyport-tests" });
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("refresh_token").GetString()!;
    }

    /// <summary>The token endpoint's answer to a refresh_token grant.</summary>
    public async Task<HttpResponseMessage> RedeemRefreshTokenAsync(Guid tenantId, string refreshToken, string scope)
    {
        using var client = new HttpClient();
        return await client.PostAsync($"{BaseUrl}/{tenantId}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = "skyport-tests",
            ["client_secret"] = "secret",
            ["refresh_token"] = refreshToken,
            ["scope"] = scope + " offline_access",
        }));
    }

    /// <summary>An App+User access token for a partner user (the seeded Admin agent unless named).</summary>
    public async Task<string> UserTokenAsync(Guid tenantId, string scope, string? userPrincipalName = null, bool mfa = true)
    {
        var response = await RedeemRefreshTokenAsync(tenantId, await RefreshTokenAsync(userPrincipalName, mfa), scope);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("access_token").GetString()!;
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        AppOnlyHttp.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    public async Task<string> TokenAsync(Guid tenantId, string scope)
    {
        using var client = new HttpClient();
        var response = await client.PostAsync($"{BaseUrl}/{tenantId}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = ClientId,
            ["client_secret"] = "secret",
            ["scope"] = scope,
        }));
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("access_token").GetString()!;
    }

    public GraphServiceClient Graph(Guid tenantId)
    {
        var token = TokenAsync(tenantId, "https://graph.microsoft.com/.default").GetAwaiter().GetResult();
        var auth = new BaseBearerTokenAuthenticationProvider(new StaticToken(token));
        return new GraphServiceClient(GraphClientFactory.Create(), auth, BaseUrl + "/graph/v1.0");
    }

    private sealed class StaticToken(string token) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new();
        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(token);
    }

    public async Task<(HttpResponseMessage Response, JsonElement Body)> SendAsync(HttpMethod method, string path, object? body = null, IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is string raw) request.Content = new StringContent(raw, Encoding.UTF8, "application/json");
        else if (body is not null) request.Content = JsonContent.Create(body);
        foreach (var (k, v) in headers ?? new Dictionary<string, string>()) request.Headers.TryAddWithoutValidation(k, v);
        var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response, json);
    }

    public Task<(HttpResponseMessage Response, JsonElement Body)> GetAsync(string path) => SendAsync(HttpMethod.Get, path);
    public Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(string path, object? body, IDictionary<string, string>? headers = null) => SendAsync(HttpMethod.Post, path, body, headers);
    public Task<(HttpResponseMessage Response, JsonElement Body)> PatchAsync(string path, object body) => SendAsync(HttpMethod.Patch, path, body);

    private static int _counter;

    public static string UniquePrefix(string name) => $"{name}{Interlocked.Increment(ref _counter)}{Guid.NewGuid().ToString("N")[..6]}";

    public static object CustomerBody(string domain, string country = "US") => new
    {
        companyProfile = new { domain },
        billingProfile = new
        {
            email = "owner@example.com",
            culture = "en-US",
            language = "en",
            companyName = "Contoso " + domain,
            defaultAddress = new { firstName = "Ada", lastName = "Lovelace", addressLine1 = "1 Main St", city = "Redmond", state = "WA", postalCode = "98052", country },
        },
    };

    /// <summary>Creates a customer; returns its id, domain and the admin's password.</summary>
    public async Task<(Guid Id, string Domain, string AdminPassword)> CreateCustomerAsync(string name = "cust", string country = "US", bool prepare = true)
    {
        var domain = UniquePrefix(name) + ".onmicrosoft.com";
        var (response, body) = await PostAsync("/v1/customers", CustomerBody(domain, country));
        Assert.Equal(201, (int)response.StatusCode);
        var id = body.GetProperty("id").GetGuid();
        if (prepare) await PrepareForPartnerAsync(id);
        return (id, domain, body.GetProperty("userCredentials").GetProperty("password").GetString()!);
    }

    public const string ClientId = "skyport-tests";
    public static readonly Guid AdminAgentsGroup = Guid.Parse("5c7a1a55-0000-4000-8000-00000000a6e5");
    public const string UserAdministrator = "fe930be7-5e62-47db-91af-98c3a49a38b1";
    public const string LicenseAdministrator = "4d6ac14f-3453-41d0-bef9-a3e0c569773a";

    /// <summary>What a partner does before it may sell and manage users: the Microsoft Customer Agreement attested, its app consented, GDAP approved and assigned.</summary>
    public async Task PrepareForPartnerAsync(Guid customerId)
    {
        await AttestAgreementAsync(customerId);
        var (consent, _) = await PostAsync($"/v1/customers/{customerId}/applicationconsents", new
        {
            applicationId = ClientId,
            applicationGrants = new[] { new { enterpriseApplicationId = "00000003-0000-0000-c000-000000000000", scope = "User.ReadWrite.All,Directory.Read.All" } },
        });
        Assert.Equal(201, (int)consent.StatusCode);
        await ActiveRelationshipAsync(customerId, [UserAdministrator, LicenseAdministrator]);
    }

    public async Task AttestAgreementAsync(Guid customerId)
    {
        var (response, _) = await PostAsync($"/v1/customers/{customerId}/agreements", new
        {
            primaryContact = new { firstName = "Ada", lastName = "Lovelace", email = "ada@example.com" },
            templateId = "117a77b0-9360-443b-8795-c6dedc750cf9",
            dateAgreed = "2026-01-10T00:00:00Z",
            type = "MicrosoftCustomerAgreement",
        });
        Assert.Equal(201, (int)response.StatusCode);
    }

    /// <summary>A GDAP relationship created, locked for approval, approved through the control plane and assigned to the partner's group.</summary>
    public async Task<string> ActiveRelationshipAsync(Guid customerId, string[] roles, string[]? assignedRoles = null)
    {
        var graph = await PartnerGraphAsync();
        var (created, relationship) = await graph.PostAsync("/graph/v1.0/tenantRelationships/delegatedAdminRelationships", new
        {
            displayName = UniquePrefix("gdap"),
            duration = "P730D",
            customer = new { tenantId = customerId },
            accessDetails = new { unifiedRoles = roles.Select(r => new { roleDefinitionId = r }) },
        });
        Assert.Equal(201, (int)created.StatusCode);
        var id = relationship.GetProperty("id").GetString()!;
        Assert.Equal(201, (int)(await graph.PostAsync($"/graph/v1.0/tenantRelationships/delegatedAdminRelationships/{id}/requests", new { action = "lockForApproval" })).Response.StatusCode);
        Assert.Equal(200, (int)(await PostAsync($"/_emulator/relationships/{id}/approve", null)).Response.StatusCode);
        var (assigned, _) = await graph.PostAsync($"/graph/v1.0/tenantRelationships/delegatedAdminRelationships/{id}/accessAssignments", new
        {
            accessContainer = new { accessContainerId = AdminAgentsGroup, accessContainerType = "securityGroup" },
            accessDetails = new { unifiedRoles = (assignedRoles ?? roles).Select(r => new { roleDefinitionId = r }) },
        });
        Assert.Equal(201, (int)assigned.StatusCode);
        return id;
    }

    private EmulatorClient? _partnerGraph;

    /// <summary>Raw HTTP to Graph with the partner's own Graph token (GDAP is managed from the partner tenant).</summary>
    public async Task<EmulatorClient> PartnerGraphAsync() =>
        _partnerGraph ??= new EmulatorClient(BaseUrl, await TokenAsync(PartnerTenantId, "https://graph.microsoft.com/.default"));

    /// <summary>Buys through a cart; returns the new subscription's id.</summary>
    public async Task<Guid> BuyAsync(Guid customerId, string catalogItemId, int quantity, string term = "P1M", string cycle = "Monthly", string? parentSubscriptionId = null)
    {
        object line = parentSubscriptionId is null
            ? new { catalogItemId, quantity, termDuration = term, billingCycle = cycle }
            : new { catalogItemId, quantity, termDuration = term, billingCycle = cycle, provisioningContext = new { parentSubscriptionId } };
        var (cartResponse, cart) = await PostAsync($"/v1/customers/{customerId}/carts", new { lineItems = new[] { line } });
        Assert.Equal(201, (int)cartResponse.StatusCode);
        var (checkoutResponse, checkout) = await PostAsync($"/v1/customers/{customerId}/carts/{cart.GetProperty("id").GetString()}/checkout", null);
        Assert.Equal(201, (int)checkoutResponse.StatusCode);
        return checkout.GetProperty("orders")[0].GetProperty("lineItems")[0].GetProperty("subscriptionId").GetGuid();
    }

    public async Task<DateTimeOffset> NowAsync()
    {
        var (_, body) = await GetAsync("/_emulator/clock");
        return body.GetProperty("now").GetDateTimeOffset();
    }

    public Task AdvanceAsync(int days, int hours = 0) => PostAsync("/_emulator/clock/advance", new { days, hours });
}

/// <summary>JSON over HTTP with a fixed bearer token.</summary>
public sealed class EmulatorClient(string baseUrl, string token)
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(baseUrl), DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };

    public async Task<(HttpResponseMessage Response, JsonElement Body)> SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body);
        var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public Task<(HttpResponseMessage Response, JsonElement Body)> GetAsync(string path) => SendAsync(HttpMethod.Get, path);
    public Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(string path, object? body) => SendAsync(HttpMethod.Post, path, body);
}

[CollectionDefinition(Name)]
public sealed class SharedEmulator : ICollectionFixture<EmulatorFixture>
{
    public const string Name = "Shared emulator";
}

public static class Catalog
{
    public const string BusinessBasic = "CFQ7TTC0LH18:0001:CFQ7TTC0K971";
    public const string BusinessPremium = "CFQ7TTC0LCHC:0002:CFQ7TTC0KFFN";
    public const string PowerBiPro = "CFQ7TTC0LHSF:0001:CFQ7TTC0Q7WT";
    public const string TeamsPhone = "CFQ7TTC0LH0T:0001:CFQ7TTC0K4KQ";
    public static readonly Guid BusinessBasicSku = Guid.Parse("3b555118-da6a-4418-894f-7df1e2096870");
    public static readonly Guid PowerBiProSku = Guid.Parse("f8a1db68-be16-40ed-86d5-cb42ce701560");
}
