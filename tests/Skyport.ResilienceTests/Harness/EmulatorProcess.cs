using System.Net.Http.Json;
using System.Text.Json;

namespace Skyport.ResilienceTests.Harness;

/// <summary>
/// The standalone Partner Center emulator as a process on a free loopback port, with its state in a temporary file, and its
/// control plane (<c>/_emulator</c>): faults, clock and state.
/// </summary>
public sealed class EmulatorProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly HttpClient _control;

    private EmulatorProcess(string folder, int port)
    {
        BaseUrl = $"http://127.0.0.1:{port}";
        _process = new ChildProcess("emulator", BuiltApps.Emulator,
            // The customer's admin approves each GDAP relationship as soon as Skyport locks it for approval, so that an
            // onboarding is one request that a crash can interrupt at any step (agreement, consent, GDAP, admin user, email).
            ["--urls", BaseUrl, "--Emulator:StatePath", Path.Combine(folder, "emulator.db"), "--Emulator:GdapApproveAfterSeconds", "0"],
            new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" },
            Path.Combine(folder, "emulator.log"));
        _control = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string BaseUrl { get; }

    public Guid PartnerTenantId { get; private set; }

    public string LogFile => _process.LogFile;

    public static async Task<EmulatorProcess> StartAsync(string folder)
    {
        var emulator = new EmulatorProcess(folder, FreePort.Next());
        await emulator._process.StartAsync($"{emulator.BaseUrl}/_emulator/partner", TimeSpan.FromSeconds(60));
        var partner = await emulator._control.GetFromJsonAsync<JsonElement>("/_emulator/partner");
        emulator.PartnerTenantId = partner.GetProperty("tenantId").GetGuid();
        return emulator;
    }

    /// <summary>Replaces the faults; <paramref name="seed"/> makes which requests they hit repeatable.</summary>
    public async Task InjectAsync(IEnumerable<FaultRule> rules, int seed) =>
        (await _control.PutAsJsonAsync($"/_emulator/faults?seed={seed}", rules, JsonSerializerOptions.Web)).EnsureSuccessStatusCode();

    /// <summary>The faults in force, with <see cref="FaultRule.Times"/> counting down as requests are hit.</summary>
    public async Task<IReadOnlyList<FaultRule>> FaultsAsync() =>
        await _control.GetFromJsonAsync<List<FaultRule>>("/_emulator/faults", JsonSerializerOptions.Web) ?? [];

    public async Task ClearFaultsAsync() => (await _control.DeleteAsync("/_emulator/faults")).EnsureSuccessStatusCode();

    public async Task<PartnerCenterState> StateAsync() => PartnerCenterState.Parse(await _control.GetStringAsync("/_emulator/state"));

    public async Task AdvanceClockAsync(int days) =>
        (await _control.PostAsJsonAsync("/_emulator/clock/advance", new { days })).EnsureSuccessStatusCode();

    /// <summary>Whether Microsoft 365 would let this user sign in with this password.</summary>
    public async Task<bool> SignsInAsync(string userPrincipalName, string password) =>
        (await _control.PostAsJsonAsync("/_emulator/signin", new { userPrincipalName, password })).IsSuccessStatusCode;

    public async Task<DateTimeOffset> NowAsync() =>
        (await _control.GetFromJsonAsync<JsonElement>("/_emulator/clock")).GetProperty("now").GetDateTimeOffset();

    public ValueTask DisposeAsync()
    {
        _process.Dispose();
        _control.Dispose();
        return ValueTask.CompletedTask;
    }
}
