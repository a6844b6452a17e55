using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Skyport.ResilienceTests.Harness;

/// <summary>
/// Skyport's database for one fixture: a SQLite file in the fixture's folder, or a fresh database on the PostgreSQL server
/// given by <c>SKYPORT_TEST_POSTGRES</c> (./test.sh starts one). It outlives Skyport's restarts and is dropped at the end.
/// </summary>
public abstract class TestDatabase : IAsyncDisposable
{
    public abstract string Provider { get; }

    public abstract string ConnectionString { get; }

    protected abstract DbConnection Connect();

    public abstract ValueTask DisposeAsync();

    public static TestDatabase Sqlite(string folder) => new SqliteDatabase(Path.Combine(folder, "skyport.db"));

    public static TestDatabase Postgres() => new PostgresDatabase();

    private sealed class SqliteDatabase(string file) : TestDatabase
    {
        public override string Provider => "Sqlite";

        public override string ConnectionString => $"Data Source={file}";

        protected override DbConnection Connect() => new SqliteConnection($"Data Source={file};Pooling=false");

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class PostgresDatabase : TestDatabase
    {
        private readonly string _name = $"skyport_resilience_{Guid.NewGuid():N}";

        public override string Provider => "Postgres";

        public override string ConnectionString => new NpgsqlConnectionStringBuilder(Server) { Database = _name }.ConnectionString;

        private static string Server =>
            Environment.GetEnvironmentVariable("SKYPORT_TEST_POSTGRES") is { Length: > 0 } server
                ? server
                : throw new InvalidOperationException("No PostgreSQL server for the tests: run ./test.sh, or set SKYPORT_TEST_POSTGRES to a connection string such as 'Host=127.0.0.1;Port=5432;Username=postgres'.");

        protected override DbConnection Connect() => new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);

        public override async ValueTask DisposeAsync()
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server) { Pooling = false }.ConnectionString);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
