using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Skyport.Web;

namespace Skyport.Data;

// Used by `dotnet ef migrations add` only: one migration set per provider.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteSkyportDbContext>
{
    public SqliteSkyportDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteSkyportDbContext>().UseSqlite("Data Source=design.db").Options, new Caller(new HttpContextAccessor()));
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresSkyportDbContext>
{
    public PostgresSkyportDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresSkyportDbContext>().UseNpgsql("Host=localhost").Options, new Caller(new HttpContextAccessor()));
}
