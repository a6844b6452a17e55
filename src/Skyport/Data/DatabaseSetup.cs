using Microsoft.EntityFrameworkCore;

namespace Skyport.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public static class DatabaseSetup
{
    public const string DefaultSqliteConnection = "Data Source=./data/skyport.db";

    /// <summary>Registers the context of the configured provider (<c>Database:Provider</c>) as <see cref="SkyportDbContext"/>.</summary>
    public static IServiceCollection AddSkyportDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = configuration.GetValue("Database:Provider", DatabaseProvider.Sqlite);
        var connection = configuration.GetConnectionString("Skyport");
        switch (provider)
        {
            case DatabaseProvider.Postgres:
                if (string.IsNullOrWhiteSpace(connection))
                {
                    throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Skyport is empty.");
                }
                services.AddDbContext<SkyportDbContext, PostgresSkyportDbContext>(o => o.UseNpgsql(connection));
                break;
            default:
                connection = string.IsNullOrWhiteSpace(connection) ? DefaultSqliteConnection : connection;
                EnsureSqliteFolder(connection);
                services.AddDbContext<SkyportDbContext, SqliteSkyportDbContext>(o => o.UseSqlite(connection));
                break;
        }
        return services;
    }

    private static void EnsureSqliteFolder(string connection)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connection);
        var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(folder) && builder.Mode != Microsoft.Data.Sqlite.SqliteOpenMode.Memory)
        {
            Directory.CreateDirectory(folder);
        }
    }
}
