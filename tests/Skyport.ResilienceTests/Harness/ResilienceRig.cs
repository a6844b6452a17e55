namespace Skyport.ResilienceTests.Harness;

public enum DatabaseKind
{
    Sqlite,
    Postgres,
}

/// <summary>
/// A standalone emulator and a Skyport process on a database of their own, shared by the tests of one class: the catalog is
/// imported and the demo reseller is known. The folder (logs, SQLite files) is removed at the end unless
/// <c>SKYPORT_RESILIENCE_KEEP=1</c>.
/// </summary>
public abstract class ResilienceRig(DatabaseKind kind, IReadOnlyDictionary<string, string>? settings = null) : IAsyncLifetime
{
    private int _names;

    public string Folder { get; } = Directory.CreateTempSubdirectory("skyport-resilience-").FullName;

    public DatabaseKind Kind => kind;

    public EmulatorProcess Emulator { get; private set; } = null!;

    public TestDatabase Database { get; private set; } = null!;

    public SkyportProcess Skyport { get; private set; } = null!;

    public SkyportApi Api { get; private set; } = null!;

    /// <summary>Where Skyport delivers its emails.</summary>
    public MailServer Mail { get; } = new();

    public Guid ResellerId { get; private set; }

    /// <summary>Short and unique to this run, so that names (domains, users, emails) never meet those of another run.</summary>
    public string RunId { get; } = Guid.NewGuid().ToString("N")[..6];

    public async Task InitializeAsync()
    {
        Emulator = await EmulatorProcess.StartAsync(Folder);
        Database = kind == DatabaseKind.Postgres ? TestDatabase.Postgres() : TestDatabase.Sqlite(Folder);
        var all = new Dictionary<string, string>(Mail.SkyportSettings);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }
        Skyport = new SkyportProcess(Emulator, Database, Folder, all);
        await Skyport.StartAsync();
        Api = NewApi();
        await Api.ImportCatalogAsync();
        ResellerId = await Api.ResellerIdAsync();
    }

    /// <summary>A new client of its own (counts its own retries), acting as the broker.</summary>
    public SkyportApi NewApi(TimeSpan? budget = null)
    {
        var http = Skyport.Broker(TimeSpan.FromSeconds(30));
        return new SkyportApi(new RetryingClient(() => http), budget ?? TimeSpan.FromSeconds(60));
    }

    /// <summary>A name unique in this run: prefix, run id and a counter (letters and digits only, as domain prefixes need).</summary>
    public string Unique(string prefix) => $"{prefix}{RunId}{Interlocked.Increment(ref _names)}";

    /// <summary>A customer of the demo reseller with the O365 service added.</summary>
    public async Task<(Guid Customer, Guid Tenant, string Domain)> CustomerWithTenantAsync(SkyportApi? api = null)
    {
        api ??= Api;
        var name = Unique("c");
        var customer = await api.CreateCustomerAsync(ResellerId, name, $"{name}@contact.example");
        var tenant = await api.OnboardAsync(customer, name);
        return (customer, tenant, $"{name}.onmicrosoft.com");
    }

    /// <summary>The end of Skyport's log, to show beside a failure.</summary>
    public string LogTail(int lines = 40)
    {
        if (!File.Exists(Skyport.LogFile))
        {
            return "(no log)";
        }
        var all = File.ReadAllLines(Skyport.LogFile);
        return $"{Skyport.LogFile} ends with:{Environment.NewLine}{string.Join(Environment.NewLine, all.TakeLast(lines))}";
    }

    public async Task DisposeAsync()
    {
        Skyport?.Dispose();
        Mail.Dispose();
        if (Emulator is not null)
        {
            await Emulator.DisposeAsync();
        }
        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Environment.GetEnvironmentVariable("SKYPORT_RESILIENCE_KEEP") != "1")
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
