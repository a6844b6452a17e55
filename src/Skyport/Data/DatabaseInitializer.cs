using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Skyport.Features.Accounts;
using Skyport.Features.Organizations;

namespace Skyport.Data;

/// <summary>
/// At start: applies the provider's migrations, makes sure the installation's one broker exists, seeds the demo
/// organizations on an empty database when <c>Skyport:SeedDemo</c> is on, and creates <c>Skyport:BootstrapApiKey</c> once.
/// </summary>
public sealed class DatabaseInitializer(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider clock, ILogger<DatabaseInitializer> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SkyportDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        await db.Database.MigrateAsync(cancellationToken);

        // Instances starting together on one PostgreSQL database seed it once: the first holds this lock.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(73100001)", cancellationToken);
        }
        if (!await db.Organizations.AnyAsync(cancellationToken))
        {
            if (configuration.GetValue("Skyport:SeedDemo", false))
            {
                await DemoData.SeedAsync(db, users, clock.GetUtcNow(), cancellationToken);
                logger.LogInformation("Seeded the demo organizations");
            }
            else
            {
                var name = configuration["Skyport:BrokerName"] ?? "Skyport Broker";
                db.Organizations.Add(NewBroker(name, clock.GetUtcNow()));
                await db.SaveChangesAsync(cancellationToken);
                logger.LogInformation("Created the broker organization {Broker}", name);
            }
        }
        await CreateBrokerAdministratorAsync(db, users, cancellationToken);
        await CreateBootstrapKeyAsync(db, users, cancellationToken);
        if (await scope.ServiceProvider.GetRequiredService<Features.Email.OutboxProtection>().ProtectStoredBodiesAsync(db, cancellationToken) is > 0 and var protectedCount)
        {
            logger.LogInformation("Encrypted {Count} outbox emails stored in clear by an earlier version", protectedCount);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public const int MinimumBootstrapKeyLength = 32;
    private const string BootstrapKeyName = "Bootstrap";

    public static Organization NewBroker(string name, DateTimeOffset now)
    {
        var id = Guid.NewGuid();
        return new Organization { Id = id, Kind = OrganizationKind.Broker, Path = $"/{id:N}/", Name = name, CreatedAt = now };
    }

    /// <summary><c>Skyport:BrokerAdmin:Email</c> and <c>:Password</c> create the first broker administrator of a new installation.</summary>
    private async Task CreateBrokerAdministratorAsync(SkyportDbContext db, UserManager<AppUser> users, CancellationToken ct)
    {
        var email = configuration["Skyport:BrokerAdmin:Email"];
        var password = configuration["Skyport:BrokerAdmin:Password"];
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrWhiteSpace(password) || await users.FindByEmailAsync(email) is not null)
        {
            return;
        }
        var broker = await db.Organizations.IgnoreQueryFilters().SingleAsync(o => o.Kind == OrganizationKind.Broker, ct);
        var result = await users.CreateAsync(new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Broker administrator", OrganizationId = broker.Id }, password);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Skyport:BrokerAdmin could not be created: " + string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }

    private async Task CreateBootstrapKeyAsync(SkyportDbContext db, UserManager<AppUser> users, CancellationToken ct)
    {
        var secret = configuration["Skyport:BootstrapApiKey"];
        if (string.IsNullOrWhiteSpace(secret))
        {
            return;
        }
        if (secret.Length < MinimumBootstrapKeyLength)
        {
            throw new InvalidOperationException($"Skyport:BootstrapApiKey must have at least {MinimumBootstrapKeyLength} characters (it acts as a broker administrator).");
        }
        var hash = ApiKey.HashOf(secret);
        if (await db.ApiKeys.AnyAsync(k => k.Hash == hash, ct))
        {
            return;
        }
        // A new bootstrap key replaces the one configured before.
        foreach (var previous in await db.ApiKeys.Where(k => k.Name == BootstrapKeyName && k.RevokedAt == null).ToListAsync(ct))
        {
            previous.RevokedAt = clock.GetUtcNow();
        }
        var broker = await db.Organizations.IgnoreQueryFilters().SingleAsync(o => o.Kind == OrganizationKind.Broker, ct);
        var admin = await users.Users.Where(u => u.OrganizationId == broker.Id).OrderBy(u => u.UserName).FirstOrDefaultAsync(ct);
        if (admin is null)
        {
            // No broker administrator yet: the key gets an account of its own that cannot sign in with a password.
            admin = new AppUser { UserName = "automation", Email = "automation@skyport.invalid", DisplayName = "Automation (bootstrap API key)", OrganizationId = broker.Id };
            var created = await users.CreateAsync(admin);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException(string.Join(" ", created.Errors.Select(e => e.Description)));
            }
        }
        db.ApiKeys.Add(ApiKey.Create(admin.Id, BootstrapKeyName, secret, clock.GetUtcNow()));
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Created the bootstrap API key for {User}", admin.UserName);
    }
}
