using System.Net.Http.Headers;

namespace Skyport.ResilienceTests.Harness;

/// <summary>
/// Skyport as a process of its own (<c>dotnet Skyport.dll</c>) in Remote mode against a standalone emulator, configured by
/// environment variables as an operator would, on a database that outlives its restarts. Kill it with SIGKILL and start it
/// again on the same database and port.
/// </summary>
public sealed class SkyportProcess : IDisposable
{
    public const string BrokerKey = "sk_resilience_bootstrap_key_for_the_broker_0123456789";

    private readonly ChildProcess _process;

    public SkyportProcess(EmulatorProcess emulator, TestDatabase database, string folder, IReadOnlyDictionary<string, string>? settings = null)
    {
        BaseUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["ASPNETCORE_URLS"] = BaseUrl,
            ["PartnerCenter__Mode"] = "Remote",
            ["PartnerCenter__BaseUrl"] = emulator.BaseUrl,
            ["PartnerCenter__GraphBaseUrl"] = $"{emulator.BaseUrl}/graph/v1.0",
            ["PartnerCenter__AuthorityUrl"] = emulator.BaseUrl,
            ["PartnerCenter__TenantId"] = emulator.PartnerTenantId.ToString(),
            ["PartnerCenter__EmulatorClockPollInterval"] = "00:00:00.200",
            ["PartnerCenter__Resilience__RetryDelay"] = "00:00:00.050",
            ["PartnerCenter__Resilience__AttemptTimeout"] = "00:00:05",
            ["PartnerCenter__Resilience__TotalTimeout"] = "00:00:20",
            // Faults are injected on purpose; the circuit must not open and turn them into a different test.
            ["PartnerCenter__Resilience__BreakerMinimumThroughput"] = "1000000",
            ["Database__Provider"] = database.Provider,
            ["ConnectionStrings__Skyport"] = database.ConnectionString,
            ["Skyport__SeedDemo"] = "true",
            ["Skyport__BootstrapApiKey"] = BrokerKey,
            ["Skyport__DataProtectionKeysPath"] = Path.Combine(folder, "keys"),
            ["Skyport__RelationshipCheckInterval"] = "00:00:01",
            ["Users__SyncInterval"] = "00:00:00.500",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
            ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
            ["Logging__LogLevel__Microsoft.AspNetCore.HttpLogging.HttpLoggingMiddleware"] = "Information",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        _process = new ChildProcess("skyport", BuiltApps.Skyport, [], environment, Path.Combine(folder, "skyport.log"));
    }

    public string BaseUrl { get; }

    public string LogFile => _process.LogFile;

    /// <summary>How long the last start took until <c>/health</c> answered.</summary>
    public TimeSpan LastStartTime => _process.LastStartTime;

    public Task StartAsync() => _process.StartAsync($"{BaseUrl}/health", TimeSpan.FromSeconds(60));

    public void Kill() => _process.Kill();

    public async Task RestartAsync()
    {
        Kill();
        await StartAsync();
    }

    /// <summary>An API client acting as the broker administrator (the bootstrap key).</summary>
    public HttpClient Broker(TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", BrokerKey);
        return client;
    }

    public void Dispose() => _process.Dispose();
}
