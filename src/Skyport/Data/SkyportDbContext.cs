using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Skyport.Features.Accounts;
using Skyport.Features.Audit;
using Skyport.Features.Email;
using Skyport.Features.Organizations;
using Skyport.Features.Tenants;
using Skyport.Web;

namespace Skyport.Data;

/// <summary>
/// Skyport's one database. Each provider has a subclass of its own so that each keeps its own migrations.
/// Organizations outside the caller's subtree are filtered out of every query.
/// </summary>
public abstract class SkyportDbContext(DbContextOptions options, Caller caller)
    : IdentityDbContext<AppUser, IdentityRole<Guid>, Guid>(options)
{
    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<SkyportInstance> Instances => Set<SkyportInstance>();
    public DbSet<Features.Subscriptions.PurchaseIntent> PurchaseIntents => Set<Features.Subscriptions.PurchaseIntent>();
    public DbSet<Features.Subscriptions.UpgradeIntent> UpgradeIntents => Set<Features.Subscriptions.UpgradeIntent>();
    public DbSet<O365Service> O365Services => Set<O365Service>();
    public DbSet<Features.Catalog.CatalogOffer> CatalogOffers => Set<Features.Catalog.CatalogOffer>();
    public DbSet<Features.Catalog.CatalogCostPrice> CatalogCostPrices => Set<Features.Catalog.CatalogCostPrice>();
    public DbSet<Features.Catalog.CatalogGroupName> CatalogGroupNames => Set<Features.Catalog.CatalogGroupName>();
    public DbSet<Features.Catalog.PriceListItem> PriceListItems => Set<Features.Catalog.PriceListItem>();
    public DbSet<Features.Catalog.PriceListSave> PriceListSaves => Set<Features.Catalog.PriceListSave>();
    public DbSet<Features.Subscriptions.O365Subscription> O365Subscriptions => Set<Features.Subscriptions.O365Subscription>();
    public DbSet<Features.Subscriptions.SubscriptionEventRecord> SubscriptionEvents => Set<Features.Subscriptions.SubscriptionEventRecord>();
    public DbSet<Skyport.Features.Users.TenantUser> TenantUsers => Set<Skyport.Features.Users.TenantUser>();
    public DbSet<Skyport.Features.Users.UserSyncState> UserSyncStates => Set<Skyport.Features.Users.UserSyncState>();
    public DbSet<Skyport.Features.Users.TenantUserTombstone> TenantUserTombstones => Set<Skyport.Features.Users.TenantUserTombstone>();
    public DbSet<Skyport.Features.Users.TenantUserCreation> TenantUserCreations => Set<Skyport.Features.Users.TenantUserCreation>();
    public DbSet<Skyport.Features.Directory.DirectoryPerson> DirectoryPeople => Set<Skyport.Features.Directory.DirectoryPerson>();
    public DbSet<Features.Billing.Issuing.IssuedReport> IssuedReports => Set<Features.Billing.Issuing.IssuedReport>();
    public DbSet<Web.Jobs.BulkJob> BulkJobs => Set<Web.Jobs.BulkJob>();
    public DbSet<Features.PartnerCenterConnection.PartnerConnection> PartnerCenterConnections => Set<Features.PartnerCenterConnection.PartnerConnection>();
    public DbSet<Features.Renewals.RenewalNotice> RenewalNotices => Set<Features.Renewals.RenewalNotice>();

    /// <summary>The caller's subtree as a path prefix; null only outside a request (start-up, background work).</summary>
    protected string? ScopePath => caller.ScopePath;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(SkyportDbContext).Assembly, t => t.Namespace?.StartsWith("Skyport.Features", StringComparison.Ordinal) == true || t.Namespace?.StartsWith("Skyport.Web", StringComparison.Ordinal) == true);
        builder.Entity<Organization>().HasQueryFilter(o => ScopePath == null || o.Path.StartsWith(ScopePath));
        builder.Entity<AuditEntry>().HasQueryFilter(e => ScopePath == null || Organizations.Any(o => o.Id == e.OrganizationId && o.Path.StartsWith(ScopePath)));
        builder.Entity<O365Service>().HasQueryFilter(e => ScopePath == null || Organizations.Any(o => o.Id == e.OrganizationId && o.Path.StartsWith(ScopePath)));
        // Global price list rows (no organization) are visible to every caller; customer rows only within the subtree.
        builder.Entity<Features.Subscriptions.O365Subscription>().HasQueryFilter(e => ScopePath == null || Organizations.Any(o => o.Id == e.OrganizationId && o.Path.StartsWith(ScopePath)));
        builder.Entity<Features.Subscriptions.SubscriptionEventRecord>().HasQueryFilter(e => ScopePath == null || Organizations.Any(o => o.Id == e.OrganizationId && o.Path.StartsWith(ScopePath)));
        builder.Entity<Features.Catalog.PriceListItem>().HasQueryFilter(e => ScopePath == null || e.OrganizationId == null || Organizations.Any(o => o.Id == e.OrganizationId && o.Path.StartsWith(ScopePath)));
        builder.Entity<Features.Catalog.PriceListSave>().HasQueryFilter(e => ScopePath == null || e.OrganizationId == null || Organizations.Any(o => o.Id == e.OrganizationId && o.Path.StartsWith(ScopePath)));
        builder.Entity<Skyport.Features.Users.TenantUser>().HasQueryFilter(e => ScopePath == null || Organizations.Any(o => o.Id == e.OrganizationId && o.Path.StartsWith(ScopePath)));
        builder.Entity<Skyport.Features.Users.TenantUserTombstone>().HasQueryFilter(e => ScopePath == null || Organizations.Any(o => o.Id == e.OrganizationId && o.Path.StartsWith(ScopePath)));
        builder.Entity<Skyport.Features.Users.TenantUserCreation>().HasQueryFilter(e => ScopePath == null || Organizations.Any(o => o.Id == e.OrganizationId && o.Path.StartsWith(ScopePath)));
        builder.Entity<Skyport.Features.Users.UserSyncState>().HasQueryFilter(e => ScopePath == null || Organizations.Any(o => o.Id == e.OrganizationId && o.Path.StartsWith(ScopePath)));
        builder.Entity<Skyport.Features.Directory.DirectoryPerson>().HasQueryFilter(e => ScopePath == null || Organizations.Any(o => o.Id == e.OrganizationId && o.Path.StartsWith(ScopePath)));
        builder.Entity<Features.Subscriptions.PurchaseIntent>().HasQueryFilter(e => ScopePath == null || Organizations.Any(o => o.Id == e.OrganizationId && o.Path.StartsWith(ScopePath)));
        builder.Entity<Features.Billing.Issuing.IssuedReport>().HasQueryFilter(e => ScopePath == null || Organizations.Any(o => o.Id == e.OrganizationId && o.Path.StartsWith(ScopePath)));
        builder.Entity<Web.Jobs.BulkJob>().HasQueryFilter(e => ScopePath == null || Organizations.Any(o => o.Id == e.OrganizationId && o.Path.StartsWith(ScopePath)));
    }
}

public sealed class SqliteSkyportDbContext(DbContextOptions<SqliteSkyportDbContext> options, Caller caller)
    : SkyportDbContext(options, caller)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date type that sorts and compares: store instants as UTC ticks.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}

public sealed class PostgresSkyportDbContext(DbContextOptions<PostgresSkyportDbContext> options, Caller caller)
    : SkyportDbContext(options, caller);
