using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using Skyport.Data;
using Skyport.Features.Billing.Issuing;
using Skyport.Features.Billing.Rating;
using Skyport.Features.Billing.Reports;
using Skyport.Features.Catalog;
using Skyport.Features.Organizations;
using Skyport.Features.Subscriptions;
using Skyport.Web;

namespace Skyport.Benchmarks;

/// <summary>
/// A load script, not a BenchmarkDotNet benchmark: one reseller with 2,000 customers × 10 subscriptions and a year of events
/// (the workload of <see cref="RatingThroughputBenchmarks"/>) in a fresh PostgreSQL database, then the reseller's report for
/// one cycle and the year's export, timed through the real use-case classes (<see cref="BillingReports"/>, <see cref="ReportIssuer"/>,
/// <see cref="ReportExport"/>) as the reseller's administrator sees them (query filters on). The database is dropped at the end.
/// </summary>
public static class ResellerReportLoad
{
    private const int Runs = 3;

    public static async Task<int> RunAsync(string server, int customers)
    {
        var database = $"skyport_bench_{Guid.NewGuid():N}"[..30];
        var connection = new NpgsqlConnectionStringBuilder(server) { Database = database, CommandTimeout = 600 }.ConnectionString;
        var clock = new SettableClock(new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddHttpContextAccessor()
            .AddScoped<Caller>()
            .AddDbContext<SkyportDbContext, PostgresSkyportDbContext>(o => o.UseNpgsql(connection))
            .AddScoped<ReportIssuer>()
            .AddScoped<BillingReports>()
            .BuildServiceProvider();
        try
        {
            await using (var scope = services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<SkyportDbContext>().Database.MigrateAsync();
            }
            var watch = Stopwatch.StartNew();
            var (reseller, events) = await SeedAsync(services, connection, customers, clock.Now);
            Console.WriteLine($"seeded {customers:N0} customers, {customers * RatingThroughputBenchmarks.SubscriptionsPerCustomer:N0} subscriptions, {events:N0} events in {watch.Elapsed.TotalSeconds:0.0} s");

            // Issuing the whole past year at once (a first start on existing data), then one cycle close as the background service does it.
            watch.Restart();
            await IssueAsync(services);
            Console.WriteLine($"issue every closed cycle (2025-01..2025-12 cycles, all customers): {watch.Elapsed.TotalSeconds:0.00} s");
            clock.Now = new DateTimeOffset(2026, 1, 20, 12, 0, 0, TimeSpan.Zero);
            watch.Restart();
            var issued = await IssueAsync(services);
            Console.WriteLine($"issue one cycle close (2026-01 cycle, {issued:N0} customers): {watch.Elapsed.TotalSeconds:0.00} s");
            await using (var scope = services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<SkyportDbContext>();
                Console.WriteLine($"issued: {await db.IssuedReports.CountAsync():N0} reports, {(await db.IssuedReports.AsNoTracking().ToListAsync()).Sum(r => r.Lines.Count):N0} lines");
            }

            var accessor = services.GetRequiredService<IHttpContextAccessor>();
            accessor.HttpContext = AsResellerAdministrator(reseller);
            var lastMonth = new BillingMonth(2025, 12);
            await TimeAsync("reseller report, one closed cycle (2025-12)", services, async reports =>
                (await reports.ForResellerAsync(reseller.Id, lastMonth, lastMonth, null, default)).Value!.Reports.Sum(r => r.Customers.Sum(c => c.Subscriptions.Sum(s => s.Lines.Count))));
            var current = new BillingMonth(2026, 2);
            await TimeAsync("reseller report, the open cycle with corrections (2026-02)", services, async reports =>
                (await reports.ForResellerAsync(reseller.Id, current, current, null, default)).Value!.Reports.Sum(r => r.Customers.Sum(c => c.Subscriptions.Sum(s => s.Lines.Count))));
            // A global price list saved after the last issue may change any customer's past: every open cycle is settled in full.
            await using (var scope = services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<SkyportDbContext>();
                db.PriceListSaves.Add(new PriceListSave { SavedAt = clock.Now });
                await db.SaveChangesAsync();
            }
            await TimeAsync("reseller report, the open cycle after a global price list save (every customer settled in full)", services, async reports =>
                (await reports.ForResellerAsync(reseller.Id, current, current, null, default)).Value!.Reports.Sum(r => r.Customers.Sum(c => c.Subscriptions.Sum(s => s.Lines.Count))));
            foreach (var format in new[] { ExportFormat.Csv, ExportFormat.Xlsx })
            {
                var writing = new List<double>();
                await TimeAsync($"export of the year 2025-01..2025-12 as {format}", services, async reports =>
                {
                    var year = (await reports.ForResellerAsync(reseller.Id, new BillingMonth(2025, 1), lastMonth, null, default)).Value!;
                    var written = Stopwatch.StartNew();
                    var file = await BillingReportEndpoints.FileAsync(BillingReports.Rows(year), format, "reseller", (new BillingMonth(2025, 1), lastMonth), default);
                    writing.Add(written.Elapsed.TotalSeconds);
                    return (int)file.FileStream.Length;
                });
                Console.WriteLine($"  of which writing the file: {string.Join(" / ", writing.Select(t => t.ToString("0.00", CultureInfo.InvariantCulture)))} s");
            }
            return 0;
        }
        finally
        {
            await services.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static async Task<int> IssueAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        return await IssueAtCycleClose.IssueClosedCyclesAsync(scope.ServiceProvider, batchSize: 200, default);
    }

    private static async Task TimeAsync(string what, IServiceProvider services, Func<BillingReports, Task<int>> work)
    {
        var times = new List<double>();
        var size = 0;
        for (var run = 0; run < Runs; run++)
        {
            await using var scope = services.CreateAsyncScope();
            var watch = Stopwatch.StartNew();
            size = await work(scope.ServiceProvider.GetRequiredService<BillingReports>());
            times.Add(watch.Elapsed.TotalSeconds);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {string.Join(" / ", times.Select(t => t.ToString("0.00", CultureInfo.InvariantCulture)))} s ({size:N0} lines or bytes)"));
    }

    private static DefaultHttpContext AsResellerAdministrator(Organization reseller) => new()
    {
        User = new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, Guid.NewGuid().ToString()),
            new Claim(Caller.OrganizationClaim, reseller.Id.ToString()),
            new Claim(Caller.OrganizationPathClaim, reseller.Path),
            new Claim(Caller.OrganizationKindClaim, nameof(OrganizationKind.Reseller)),
        ], "bench")),
    };

    /// <summary>Organizations, subscriptions and prices through the DbContext; the events (the bulk) by binary COPY.</summary>
    private static async Task<(Organization Reseller, int Events)> SeedAsync(IServiceProvider services, string connection, int customers, DateTimeOffset recordedAt)
    {
        var now = new DateTimeOffset(2024, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var broker = DatabaseInitializer.NewBroker("Bench Broker", now);
        var resellerId = Guid.NewGuid();
        var reseller = new Organization
        {
            Id = resellerId, Kind = OrganizationKind.Reseller, ParentId = broker.Id, Path = Organization.ChildPath(broker.Path, resellerId),
            Name = "Bench Reseller", CreatedAt = now, Billing = new BillingSettings(15, "EUR"),
        };
        var events = new List<SubscriptionEventRecord>();
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SkyportDbContext>();
            db.Organizations.AddRange(broker, reseller);
            var input = RatingThroughputBenchmarks.Customer(0);
            db.PriceListItems.AddRange(input.PriceLists.Global.Select(p => Item(null, p)));
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
            for (var c = 0; c < customers; c++)
            {
                input = RatingThroughputBenchmarks.Customer(c);
                var customerId = Guid.NewGuid();
                db.Organizations.Add(new Organization
                {
                    Id = customerId, Kind = OrganizationKind.Customer, ParentId = resellerId, Path = Organization.ChildPath(reseller.Path, customerId),
                    Name = $"Customer {c:D4}", CreatedAt = now,
                });
                db.PriceListItems.AddRange(input.PriceLists.Customer.Select(p => Item(customerId, p)));
                var ids = input.Subscriptions.ToDictionary(s => s.Id, _ => Guid.NewGuid());
                var lookup = new PriceLookup(input.PriceLists);
                var created = new Dictionary<string, O365Subscription>();
                foreach (var plan in input.Subscriptions)
                {
                    var purchase = input.Events.First(e => e.SubscriptionId == plan.Id);
                    var quote = lookup.InForceOn(plan.PriceKey, Utc.DateOf(purchase.At))!;
                    var subscription = new O365Subscription
                    {
                        Id = ids[plan.Id], OrganizationId = customerId, OfferId = plan.OfferId, Name = plan.OfferId, Quantity = purchase.Quantity!.Value,
                        Status = SubscriptionStatus.Active, AutoRenew = true, TermDuration = plan.TermDuration.ToString(),
                        BillingFrequency = plan.BillingFrequency == BillingFrequency.Annual ? "annual" : "monthly", StartDate = Utc.DateOf(purchase.At),
                        UnitPrice = quote.UnitPrice, PriceSource = quote.Source == PriceSource.Customer ? "customer" : "global", Currency = "EUR",
                        CreatedAt = purchase.At,
                    };
                    created[plan.Id] = subscription;
                    db.O365Subscriptions.Add(subscription);
                }
                var quantities = new Dictionary<string, int>();
                foreach (var e in input.Events)
                {
                    var before = quantities.GetValueOrDefault(e.SubscriptionId);
                    quantities[e.SubscriptionId] = e.Quantity!.Value;
                    events.Add(SubscriptionEventRecord.For(created[e.SubscriptionId],
                        e.Type == SubscriptionEventType.Purchase ? SubscriptionEventKind.Purchase : SubscriptionEventKind.ChangeQuantity,
                        e.At, before, e.Quantity.Value, null, ChangeSide.Skyport, "bench", recordedAt));
                }
                if (c % 200 == 199)
                {
                    await db.SaveChangesAsync();
                    db.ChangeTracker.Clear();
                }
            }
            await db.SaveChangesAsync();
        }

        await using var npgsql = new NpgsqlConnection(connection);
        await npgsql.OpenAsync();
        await using (var copy = await npgsql.BeginBinaryImportAsync(
            "COPY o365_subscription_events (\"Id\", \"SubscriptionId\", \"OrganizationId\", \"At\", \"Kind\", \"QuantityBefore\", \"QuantityAfter\", \"AutoRenew\", \"UnitPrice\", \"PriceSource\", \"Currency\", \"Actor\", \"Side\", \"RecordedAt\") FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var e in events)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(e.Id, NpgsqlDbType.Uuid);
                await copy.WriteAsync(e.SubscriptionId, NpgsqlDbType.Uuid);
                await copy.WriteAsync(e.OrganizationId, NpgsqlDbType.Uuid);
                await copy.WriteAsync(e.At.UtcDateTime, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(e.Kind.ToString(), NpgsqlDbType.Varchar);
                await copy.WriteAsync(e.QuantityBefore, NpgsqlDbType.Integer);
                await copy.WriteAsync(e.QuantityAfter, NpgsqlDbType.Integer);
                await copy.WriteNullAsync();
                await copy.WriteAsync(e.UnitPrice, NpgsqlDbType.Numeric);
                await copy.WriteAsync(e.PriceSource, NpgsqlDbType.Varchar);
                await copy.WriteAsync(e.Currency, NpgsqlDbType.Varchar);
                await copy.WriteAsync(e.Actor, NpgsqlDbType.Varchar);
                await copy.WriteAsync(e.Side.ToString(), NpgsqlDbType.Varchar);
                await copy.WriteAsync(e.RecordedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
            }
            await copy.CompleteAsync();
        }
        await using (var analyze = new NpgsqlCommand("ANALYZE", npgsql))
        {
            await analyze.ExecuteNonQueryAsync();
        }
        return (reseller, events.Count);
    }

    private static PriceListItem Item(Guid? organizationId, PriceEntry entry) => new()
    {
        OrganizationId = organizationId,
        OfferId = entry.OfferId,
        TermDuration = entry.TermDuration.ToString(),
        BillingFrequency = entry.BillingFrequency == BillingFrequency.Annual ? "annual" : "monthly",
        UnitPrice = entry.UnitPrice,
        EffectiveFrom = entry.EffectiveFrom,
    };

    private sealed class SettableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
