using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Skyport.Data;
using Skyport.Features.Accounts;

namespace Skyport.Tests.Infrastructure;

/// <summary>
/// Skyport in-process on a real database: a SQLite file or a fresh database on the PostgreSQL server that
/// ./test.sh starts (<c>SKYPORT_TEST_POSTGRES</c>). The demo organizations are seeded; the broker's API key is
/// <see cref="BootstrapKey"/>.
/// </summary>
public abstract class SkyportApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string BootstrapKey = "sk_test_bootstrap_key_for_the_broker_0123456789";

    private readonly Dictionary<string, string?> _settings = new()
    {
        ["Skyport:SeedDemo"] = "true",
        ["Skyport:BootstrapApiKey"] = BootstrapKey,
        ["Logging:LogLevel:Default"] = "Warning",
        ["PartnerCenter:EmulatorStatePath"] = ":memory:",
        ["Skyport:RelationshipCheckInterval"] = "00:00:00.200",
        ["PartnerCenter:Resilience:RetryDelay"] = "00:00:00.050",
        ["PartnerCenter:Resilience:AttemptTimeout"] = "00:00:05",
        ["PartnerCenter:Resilience:TotalTimeout"] = "00:00:20",
        // Tests inject faults on purpose; one test's failures must not open the circuit for the next.
        ["PartnerCenter:Resilience:BreakerMinimumThroughput"] = "1000000",
        ["Logging:LogLevel:Microsoft.AspNetCore.HttpLogging.HttpLoggingMiddleware"] = "Warning",
        // Every test signs in from the same (test server) address; SignInRateLimitTests runs with the real limit.
        ["Skyport:SignIn:AttemptsPerMinute"] = "1000",
    };

    public abstract DatabaseProvider Provider { get; }

    protected abstract string ConnectionString { get; }

    /// <summary>Extra settings for a subclass (SMTP server, Partner Center, ...).</summary>
    protected void Set(string key, string? value) => _settings[key] = value;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        _settings["Database:Provider"] = Provider.ToString();
        _settings["ConnectionStrings:Skyport"] = ConnectionString;
        // UseSetting, not ConfigureAppConfiguration: Program reads some settings before the host is built.
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public virtual Task InitializeAsync()
    {
        _ = Server; // start the host: migrations and seeding run now
        return Task.CompletedTask;
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeDatabaseAsync();

    protected virtual async Task DisposeDatabaseAsync() => await base.DisposeAsync();

    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public HttpClient Broker() => WithKey(BootstrapKey);

    public HttpClient WithKey(string secret)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    /// <summary>An API client acting as the user with this email (a key is created for it directly in the database).</summary>
    public async Task<HttpClient> As(string email)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SkyportDbContext>();
        var user = db.Users.Single(u => u.Email == email);
        var secret = ApiKey.NewSecret();
        db.ApiKeys.Add(ApiKey.Create(user.Id, "test", secret, DateTimeOffset.UtcNow));
        await db.SaveChangesAsync();
        return WithKey(secret);
    }

    /// <summary>An API client acting as the administrator of a new reseller: everything of Fabrikam IT is outside its subtree.</summary>
    public async Task<HttpClient> AnotherResellerAsync()
    {
        var email = $"r-{Guid.NewGuid():N}@other.example";
        await A.Reseller().WithAdministrator(email).CreateAsync(this);
        return await As(email);
    }

    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }
}

public class SqliteSkyport : SkyportApp
{
    private readonly string _folder = Directory.CreateTempSubdirectory("skyport-test-").FullName;

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
    public string DatabaseFile => Path.Combine(_folder, "skyport.db");
    protected override string ConnectionString => $"Data Source={DatabaseFile}";

    protected override async Task DisposeDatabaseAsync()
    {
        await base.DisposeDatabaseAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        // A background round finishing as the host stops can recreate the journal while the folder is being deleted.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
                return;
            }
            catch (IOException) when (attempt < 10)
            {
                await Task.Delay(200);
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            }
        }
    }
}

/// <summary>Skyport behind Kestrel on loopback, as it runs in production (the other tests use the in-memory test server).</summary>
public sealed class KestrelSkyport : SqliteSkyport
{
    public override Task InitializeAsync()
    {
        UseKestrel(0);
        StartServer();
        return Task.CompletedTask;
    }
}

public class PostgresSkyport : SkyportApp
{
    private readonly string _database = $"skyport_test_{Guid.NewGuid():N}";

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override string ConnectionString => new NpgsqlConnectionStringBuilder(ServerConnectionString)
    {
        Database = _database,
    }.ConnectionString;

    /// <summary>The PostgreSQL server: ./test.sh starts one and sets SKYPORT_TEST_POSTGRES. Without it these tests fail.</summary>
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("SKYPORT_TEST_POSTGRES") is { Length: > 0 } server
            ? server
            : throw new InvalidOperationException("No PostgreSQL server for the tests: run ./test.sh, or set SKYPORT_TEST_POSTGRES to a connection string such as 'Host=127.0.0.1;Port=5432;Username=postgres'.");

    protected override async Task DisposeDatabaseAsync()
    {
        await base.DisposeDatabaseAsync();
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
