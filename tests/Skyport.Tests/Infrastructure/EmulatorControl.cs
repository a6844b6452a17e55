using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Skyport.PartnerCenter;

namespace Skyport.Tests.Infrastructure;

/// <summary>The embedded emulator's control plane, as a test drives it.</summary>
public sealed class EmulatorControl(SkyportApp app)
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(app.Services.GetRequiredService<EmbeddedEmulator>().BaseUrl) };

    public async Task InjectAsync(params object[] rules) =>
        (await _http.PutAsJsonAsync("/_emulator/faults", rules)).EnsureSuccessStatusCode();

    /// <summary>Faults drawn from a random source with this seed, so that a run can be repeated.</summary>
    public async Task InjectSeededAsync(int seed, params object[] rules) =>
        (await _http.PutAsJsonAsync($"/_emulator/faults?seed={seed}", rules)).EnsureSuccessStatusCode();

    /// <summary>How long Partner Center takes: <c>{ orderPendingSeconds, patchAcceptedRate, patchDelaySeconds, seed }</c>.</summary>
    public async Task SettingsAsync(object settings) =>
        (await _http.PutAsJsonAsync("/_emulator/settings", settings)).EnsureSuccessStatusCode();

    /// <summary>The customer's admin approves the GDAP relationship Skyport asked for (in the Microsoft 365 admin center at Microsoft).</summary>
    public async Task ApproveRelationshipAsync(string relationshipId) =>
        (await _http.PostAsync($"/_emulator/relationships/{relationshipId}/approve", null)).EnsureSuccessStatusCode();

    public async Task ClearFaultsAsync() => (await _http.DeleteAsync("/_emulator/faults")).EnsureSuccessStatusCode();

    public async Task<JsonNode> StateAsync() => JsonNode.Parse(await _http.GetStringAsync("/_emulator/state"))!;

    public async Task<IReadOnlyList<JsonNode>> TenantsWithDomainAsync(string domain) =>
        [.. (await StateAsync())["tenants"]!.AsArray().Where(t => t!["domain"]!.GetValue<string>() == domain).Select(t => t!)];

    public async Task<bool> SignsInAsync(string userPrincipalName, string password) =>
        (await _http.PostAsJsonAsync("/_emulator/signin", new { userPrincipalName, password })).IsSuccessStatusCode;

    public async Task CreateForeignTenantAsync(string domain, string companyName) =>
        (await _http.PostAsJsonAsync("/_emulator/tenants", new { domain, companyName })).EnsureSuccessStatusCode();

    /// <summary>Every subscription of every tenant, each with its tenant's id as <c>tenantId</c>.</summary>
    public async Task<IReadOnlyList<JsonNode>> SubscriptionsAsync() =>
        [.. (await StateAsync())["tenants"]!.AsArray().SelectMany(t => t!["subscriptions"]!.AsArray().Select(s =>
        {
            var copy = s!.DeepClone();
            copy["tenantId"] = t["id"]!.DeepClone();
            return copy;
        }))];

    public async Task AdvanceClockAsync(int days, int hours = 0, int minutes = 0) =>
        (await _http.PostAsJsonAsync("/_emulator/clock/advance", new { days, hours, minutes })).EnsureSuccessStatusCode();

    public async Task<DateTimeOffset> NowAsync() => (await StateAsync())["now"]!.GetValue<DateTimeOffset>();

    public async Task AcceptRelationshipAsync(string domain) =>
        (await _http.PostAsync($"/_emulator/tenants/{domain}/relationship", null)).EnsureSuccessStatusCode();
}
