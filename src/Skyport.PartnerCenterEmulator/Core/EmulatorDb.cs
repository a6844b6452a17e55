using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Skyport.PartnerCenterEmulator.Gdap;

namespace Skyport.PartnerCenterEmulator.Core;

/// <summary>A Microsoft Entra tenant: the partner's own, or a customer's (customer id == tenant id).</summary>
public sealed class Tenant
{
    public Guid Id { get; set; }
    public long Seq { get; set; }
    public bool IsPartner { get; set; }
    public Guid CommerceId { get; set; }
    public string Domain { get; set; } = "";
    public string CompanyName { get; set; } = "";
    public BillingProfile? BillingProfile { get; set; }
    public string RelationshipToPartner { get; set; } = "reseller";
    public DateTime CreatedAt { get; set; }
    /// <summary>Microsoft Customer Agreement acceptances the partner attested (confirm-customer-consent-customer-agreement).</summary>
    public List<CustomerAgreement> Agreements { get; set; } = [];
    /// <summary>Applications consented in this tenant through <c>applicationconsents</c>: their service principals.</summary>
    public List<ApplicationConsent> ApplicationConsents { get; set; } = [];
    /// <summary>The partner's GDAP relationships with this customer (Graph delegatedAdminRelationships).</summary>
    public List<AdminRelationship> AdminRelationships { get; set; } = [];
}

public sealed record AgreementContact(string FirstName, string LastName, string Email, string? PhoneNumber);

public sealed record CustomerAgreement(string Type, string TemplateId, AgreementContact PrimaryContact, string DateAgreed, Guid UserId);

public sealed record ApplicationGrant(string EnterpriseApplicationId, string Scope);

public sealed record ApplicationConsent(string ApplicationId, string? DisplayName, List<ApplicationGrant> Grants, DateTime CreatedAt);

public sealed record Address(
    string? FirstName, string? LastName, string? AddressLine1, string? AddressLine2, string? City,
    string? State, string? PostalCode, string? Country, string? PhoneNumber);

public sealed record BillingProfile(
    Guid Id, string? FirstName, string? LastName, string Email, string Culture, string Language,
    string CompanyName, Address DefaultAddress, string Etag);

public sealed record AssignedLicense(Guid SkuId, List<Guid> DisabledPlans);

public sealed class DirectoryUser
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public long Seq { get; set; }
    /// <summary>Global change sequence, used by Graph delta queries.</summary>
    public long Version { get; set; }
    private string _userPrincipalName = "";

    public string UserPrincipalName
    {
        get => _userPrincipalName;
        set
        {
            _userPrincipalName = value;
            NormalizedUpn = Normalize(value);
        }
    }

    /// <summary>The user name in lower case, stored and indexed so that the case-insensitive lookups seek instead of scanning.</summary>
    public string NormalizedUpn { get; private set; } = "";

    public static string Normalize(string userPrincipalName) => userPrincipalName.ToLowerInvariant();

    public string? GivenName { get; set; }
    public string? Surname { get; set; }
    public string DisplayName { get; set; } = "";
    public string? MailNickname { get; set; }
    public string? Mail { get; set; }
    public string? UsageLocation { get; set; }
    public string? ImmutableId { get; set; }
    public string? PhoneNumber { get; set; }
    public string? JobTitle { get; set; }
    public bool AccountEnabled { get; set; } = true;
    public string Password { get; set; } = "";
    public bool ForceChangePassword { get; set; }
    /// <summary>active, inactive (soft-deleted, restorable for 30 days) or purged.</summary>
    public string State { get; set; } = UserStates.Active;
    public DateTime? SoftDeletedAt { get; set; }
    public List<AssignedLicense> Licenses { get; set; } = [];
    public DateTime CreatedAt { get; set; }
}

public static class UserStates
{
    public const string Active = "active";
    public const string Inactive = "inactive";
    public const string Purged = "purged";
}

/// <summary>Seats added at one moment; they may be removed within 168 hours of being added.</summary>
public sealed record SeatAddition(int Quantity, DateTime AddedAt);

public sealed class Subscription
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public long Seq { get; set; }
    /// <summary>Partner Center's order id: a short string, not a GUID.</summary>
    public string OrderId { get; set; } = "";
    public string ProductId { get; set; } = "";
    public string SkuId { get; set; } = "";
    public string AvailabilityId { get; set; } = "";
    public string OfferName { get; set; } = "";
    public string FriendlyName { get; set; } = "";
    public int Quantity { get; set; }
    public string Status { get; set; } = SubscriptionStatuses.Active;
    public bool AutoRenewEnabled { get; set; } = true;
    public string BillingCycle { get; set; } = "monthly";
    public string TermDuration { get; set; } = "P1M";
    public string Currency { get; set; } = "USD";
    public Guid? ParentSubscriptionId { get; set; }
    public DateTime CreationDate { get; set; }
    /// <summary>First day of the first term; later terms are computed from it so they never drift.</summary>
    public DateOnly TermAnchor { get; set; }
    public int TermIndex { get; set; }
    public DateOnly TermStartDate { get; set; }
    public DateOnly CommitmentEndDate { get; set; }
    public DateOnly NextBillingDate { get; set; }
    public DateTime CancellationAllowedUntil { get; set; }
    public List<SeatAddition> SeatAdditions { get; set; } = [];
    public List<string> SuspensionReasons { get; set; } = [];
    /// <summary>When it expired or was cancelled: its seats then pass through warning and suspended units.</summary>
    public DateTime? EndedAt { get; set; }
    public long Etag { get; set; }
    /// <summary>A PATCH answered 202: the change lands at its due time; until then the subscription shows its old state.</summary>
    public PendingSubscriptionChange? PendingChange { get; set; }
    /// <summary>What the next term is to be (scheduledNextTermInstructions); deleted by any immediate change.</summary>
    public Subscriptions.ScheduledNextTerm? ScheduledNextTerm { get; set; }
    /// <summary>With auto-renew off: end at the term end instead of entering the extended service term.</summary>
    public bool CancelAtTermEnd { get; set; }
    /// <summary>The first day of the extended service term (month to month after a term ended with auto-renew off).</summary>
    public DateOnly? ExtendedSince { get; set; }
    /// <summary>The extended service term's price per seat per month, found when it began and locked until cancellation.</summary>
    public decimal? ExtendedUnitPrice { get; set; }
    /// <summary>Upgrades this subscription took part in, as source or target.</summary>
    public List<Subscriptions.TransitionRecord> Transitions { get; set; } = [];
}

/// <summary>The fields of a subscription PATCH; null leaves a value as it is.</summary>
public sealed record SubscriptionChange(int? Quantity, string? Status, bool? AutoRenewEnabled, string? FriendlyName, bool? CancelAtTermEnd = null);

public sealed record PendingSubscriptionChange(SubscriptionChange Change, DateTime DueAt);

public static class SubscriptionStatuses
{
    public const string Active = "active";
    public const string Suspended = "suspended";
    public const string Deleted = "deleted";
    public const string Expired = "expired";
    /// <summary>Its order is still pending: it exists, but is neither usable nor billed yet.</summary>
    public const string Pending = "pending";
}

public sealed record CartLine(
    int Id, string CatalogItemId, string? FriendlyName, int Quantity, string BillingCycle, string TermDuration,
    Dictionary<string, string> ProvisioningContext, string OrderGroup, DateOnly? CustomTermEndDate = null);

public sealed class Cart
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime LastModifiedAt { get; set; }
    public string Status { get; set; } = "Active";
    public List<CartLine> LineItems { get; set; } = [];
    /// <summary>The orders its checkout made, so that checking it out again answers the same.</summary>
    public List<string> OrderIds { get; set; } = [];
}

public sealed record OrderLine(
    int LineItemNumber, string OfferId, Guid SubscriptionId, Guid? ParentSubscriptionId, string FriendlyName,
    int Quantity, string TermDuration, string TransactionType, DateOnly? CustomTermEndDate = null);

public sealed class Order
{
    /// <summary>12 lowercase hexadecimal characters, like every new-commerce order id in Microsoft's examples.</summary>
    public string Id { get; set; } = "";
    public Guid TenantId { get; set; }
    public long Seq { get; set; }
    public string BillingCycle { get; set; } = "monthly";
    public string Currency { get; set; } = "USD";
    public DateTime CreationDate { get; set; }
    public string Status { get; set; } = OrderStatuses.Completed;
    /// <summary>When a pending order completes, on the emulator's clock.</summary>
    public DateTime? CompletesAt { get; set; }
    public List<OrderLine> LineItems { get; set; } = [];

    public static string NewId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
}

public static class OrderStatuses
{
    public const string Pending = "pending";
    public const string Completed = "completed";
}

/// <summary>A billed amount: a row of a future invoice until an invoice claims it.</summary>
public sealed class ChargeLine
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid SubscriptionId { get; set; }
    public string OrderId { get; set; } = "";
    public string ProductId { get; set; } = "";
    public string SkuId { get; set; } = "";
    public string AvailabilityId { get; set; } = "";
    public string ProductName { get; set; } = "";
    public string ChargeType { get; set; } = "new";
    public decimal UnitPrice { get; set; }
    public decimal EffectiveUnitPrice { get; set; }
    public int Quantity { get; set; }
    public decimal Subtotal { get; set; }
    public string Currency { get; set; } = "USD";
    public DateOnly ChargeStartDate { get; set; }
    public DateOnly ChargeEndDate { get; set; }
    public DateOnly SubscriptionStartDate { get; set; }
    public DateOnly SubscriptionEndDate { get; set; }
    public string TermDuration { get; set; } = "P1M";
    public string BillingCycle { get; set; } = "monthly";
    public DateTime ChargedAt { get; set; }
    public string? InvoiceId { get; set; }
}

public sealed class Invoice
{
    public string Id { get; set; } = "";
    public DateOnly InvoiceDate { get; set; }
    public DateOnly BillingPeriodStartDate { get; set; }
    public DateOnly BillingPeriodEndDate { get; set; }
    public decimal TotalCharges { get; set; }
    public string Currency { get; set; } = "USD";
}

public sealed class WebhookRegistration
{
    public int Id { get; set; }
    public Guid SubscriberId { get; set; }
    public string WebhookUrl { get; set; } = "";
    public List<string> WebhookEvents { get; set; } = [];
}

/// <summary>The stored answer to a create that carried an MS-RequestId.</summary>
public sealed class IdempotentResponse
{
    public string Key { get; set; } = "";
    public int StatusCode { get; set; }
    public string ContentType { get; set; } = "";
    public string Body { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}

/// <summary>Small named values: clock offset, sequences, the day processed last.</summary>
public sealed class MetaValue
{
    public string Key { get; set; } = "";
    public string Value { get; set; } = "";
}

public sealed class EmulatorDb(DbContextOptions<EmulatorDb> options) : DbContext(options)
{
    public DbSet<Tenant> Tenants => Set<Tenant>();
    public DbSet<DirectoryUser> Users => Set<DirectoryUser>();
    public DbSet<Subscription> Subscriptions => Set<Subscription>();
    public DbSet<Cart> Carts => Set<Cart>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<ChargeLine> Charges => Set<ChargeLine>();
    public DbSet<Invoice> Invoices => Set<Invoice>();
    public DbSet<WebhookRegistration> Webhooks => Set<WebhookRegistration>();
    public DbSet<IdempotentResponse> IdempotentResponses => Set<IdempotentResponse>();
    public DbSet<MetaValue> Meta => Set<MetaValue>();
    public DbSet<SignIn.PartnerUser> PartnerUsers => Set<SignIn.PartnerUser>();

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        builder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<Tenant>(e =>
        {
            e.HasIndex(t => t.Domain).IsUnique();
            e.Property(t => t.BillingProfile).HasJson();
            e.Property(t => t.Agreements).HasJson();
            e.Property(t => t.ApplicationConsents).HasJson();
            e.Property(t => t.AdminRelationships).HasJson();
        });
        b.Entity<DirectoryUser>(e =>
        {
            // User name first: sign-in looks a user up by name alone, the tenant's own lookups by name and tenant.
            e.HasIndex(u => new { u.NormalizedUpn, u.TenantId });
            e.HasIndex(u => new { u.TenantId, u.Seq });
            e.HasIndex(u => new { u.TenantId, u.Version });
            e.Property(u => u.Licenses).HasJson();
        });
        b.Entity<Subscription>(e =>
        {
            e.HasIndex(s => s.TenantId);
            e.Property(s => s.SeatAdditions).HasJson();
            e.Property(s => s.SuspensionReasons).HasJson();
            e.Property(s => s.PendingChange).HasJson();
            e.Property(s => s.ScheduledNextTerm).HasJson();
            e.Property(s => s.Transitions).HasJson();
            e.Property(s => s.ExtendedUnitPrice).HasConversion<string>();
        });
        b.Entity<Cart>().Property(c => c.LineItems).HasJson();
        b.Entity<Cart>().Property(c => c.OrderIds).HasJson();
        b.Entity<Order>().Property(o => o.LineItems).HasJson();
        b.Entity<Order>().HasIndex(o => o.Status);
        b.Entity<ChargeLine>().HasIndex(c => c.InvoiceId);
        b.Entity<ChargeLine>().Property(c => c.UnitPrice).HasConversion<string>();
        b.Entity<ChargeLine>().Property(c => c.EffectiveUnitPrice).HasConversion<string>();
        b.Entity<ChargeLine>().Property(c => c.Subtotal).HasConversion<string>();
        b.Entity<Invoice>().Property(i => i.TotalCharges).HasConversion<string>();
        b.Entity<WebhookRegistration>().Property(w => w.WebhookEvents).HasJson();
        b.Entity<IdempotentResponse>().HasKey(r => r.Key);
        b.Entity<MetaValue>().HasKey(m => m.Key);
        b.Entity<SignIn.PartnerUser>(e =>
        {
            e.HasIndex(u => u.UserPrincipalName).IsUnique();
            e.Property(u => u.Roles).HasJson();
        });
    }

    /// <summary>
    /// Brings a state file made by an older emulator up to this model; EnsureCreated only creates new files.
    /// </summary>
    public void UpgradeSchema()
    {
        var userColumns = Database.SqlQueryRaw<string>("SELECT name AS \"Value\" FROM pragma_table_info('Users')").ToList();
        if (!userColumns.Contains(nameof(DirectoryUser.NormalizedUpn)))
        {
            Database.ExecuteSqlRaw("ALTER TABLE \"Users\" ADD COLUMN \"NormalizedUpn\" TEXT NOT NULL DEFAULT ''");
            foreach (var user in Users)
            {
                user.UserPrincipalName = user.UserPrincipalName;
            }
            SaveChanges();
            Database.ExecuteSqlRaw("DROP INDEX IF EXISTS \"IX_Users_TenantId_UserPrincipalName\"");
        }
        foreach (var index in Model.FindEntityType(typeof(DirectoryUser))!.GetIndexes())
        {
            var columns = string.Join(", ", index.Properties.Select(p => $"\"{p.GetColumnName()}\""));
            var create = $"CREATE INDEX IF NOT EXISTS \"{index.GetDatabaseName()}\" ON \"Users\" ({columns})";
            Database.ExecuteSqlRaw(create);
        }
        AddColumnIfMissing("Subscriptions", nameof(Subscription.PendingChange), "TEXT NULL");
        AddColumnIfMissing("Subscriptions", nameof(Subscription.EndedAt), "TEXT NULL");
        AddColumnIfMissing("Subscriptions", nameof(Subscription.ScheduledNextTerm), "TEXT NULL");
        AddColumnIfMissing("Subscriptions", nameof(Subscription.CancelAtTermEnd), "INTEGER NOT NULL DEFAULT 0");
        AddColumnIfMissing("Subscriptions", nameof(Subscription.ExtendedSince), "TEXT NULL");
        AddColumnIfMissing("Subscriptions", nameof(Subscription.ExtendedUnitPrice), "TEXT NULL");
        AddColumnIfMissing("Subscriptions", nameof(Subscription.Transitions), "TEXT NOT NULL DEFAULT '[]'");
        AddColumnIfMissing("Carts", nameof(Cart.OrderIds), "TEXT NOT NULL DEFAULT '[]'");
        AddColumnIfMissing("Orders", nameof(Order.CompletesAt), "TEXT NULL");
        AddColumnIfMissing("Tenants", nameof(Tenant.Agreements), "TEXT NOT NULL DEFAULT '[]'");
        AddColumnIfMissing("Tenants", nameof(Tenant.ApplicationConsents), "TEXT NOT NULL DEFAULT '[]'");
        AddColumnIfMissing("Tenants", nameof(Tenant.AdminRelationships), "TEXT NOT NULL DEFAULT '[]'");
        Database.ExecuteSqlRaw("CREATE INDEX IF NOT EXISTS \"IX_Orders_Status\" ON \"Orders\" (\"Status\")");
        Database.ExecuteSqlRaw("""
            CREATE TABLE IF NOT EXISTS "PartnerUsers" ("Id" TEXT NOT NULL PRIMARY KEY, "UserPrincipalName" TEXT NOT NULL,
                "DisplayName" TEXT NOT NULL, "Password" TEXT NOT NULL, "Roles" TEXT NOT NULL, "RefreshTokensValidAfter" TEXT NULL)
            """);
        Database.ExecuteSqlRaw("CREATE UNIQUE INDEX IF NOT EXISTS \"IX_PartnerUsers_UserPrincipalName\" ON \"PartnerUsers\" (\"UserPrincipalName\")");
    }

    private void AddColumnIfMissing(string table, string column, string definition)
    {
        var query = $"SELECT name AS \"Value\" FROM pragma_table_info('{table}')";
        if (Database.SqlQueryRaw<string>(query).ToList().Contains(column)) return;
        var alter = $"ALTER TABLE \"{table}\" ADD COLUMN \"{column}\" {definition}";
        Database.ExecuteSqlRaw(alter);
    }

    public async Task<long> NextSequenceAsync(string name)
    {
        var row = await Meta.FindAsync("seq:" + name);
        if (row is null)
        {
            row = new MetaValue { Key = "seq:" + name, Value = "0" };
            Meta.Add(row);
        }
        var next = long.Parse(row.Value) + 1;
        row.Value = next.ToString();
        return next;
    }

    public async Task<string?> GetMetaAsync(string key) => (await Meta.FindAsync(key))?.Value;

    public async Task SetMetaAsync(string key, string value)
    {
        var row = await Meta.FindAsync(key);
        if (row is null) Meta.Add(new MetaValue { Key = key, Value = value });
        else row.Value = value;
    }
}

internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

internal static class JsonColumn
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static PropertyBuilder<T> HasJson<T>(this PropertyBuilder<T> property) => property.HasConversion(
        v => JsonSerializer.Serialize(v, Options),
        s => JsonSerializer.Deserialize<T>(s, Options)!,
        new ValueComparer<T>(
            (a, b) => JsonSerializer.Serialize(a, Options) == JsonSerializer.Serialize(b, Options),
            v => JsonSerializer.Serialize(v, Options).GetHashCode(),
            v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, Options), Options)!));
}
