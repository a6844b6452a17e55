using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Skyport.PartnerCenterEmulator.Billing;
using Skyport.PartnerCenterEmulator.Catalog;
using Skyport.PartnerCenterEmulator.Control;
using Skyport.PartnerCenterEmulator.Core;
using Skyport.PartnerCenterEmulator.Customers;
using Skyport.PartnerCenterEmulator.Graph;
using Skyport.PartnerCenterEmulator.Gdap;
using Skyport.PartnerCenterEmulator.Orders;
using Skyport.PartnerCenterEmulator.SignIn;
using Skyport.PartnerCenterEmulator.Subscriptions;
using Skyport.PartnerCenterEmulator.Users;
using Skyport.PartnerCenterEmulator.Webhooks;

namespace Skyport.PartnerCenterEmulator;

/// <summary>Options for an emulator instance, whether run alone or embedded in Skyport.</summary>
public sealed record EmulatorOptions
{
    public static readonly Guid DefaultPartnerTenantId = Guid.Parse("7f3c6a2e-5b1d-4c8e-9a0f-2d4b6e8c1a35");

    /// <summary>SQLite file that keeps the emulator's state; null keeps it in memory.</summary>
    public string? StatePath { get; init; }
    /// <summary>The partner's own tenant: Partner Center tokens must be issued for it.</summary>
    public Guid PartnerTenantId { get; init; } = DefaultPartnerTenantId;
    public string PartnerDomain { get; init; } = "skyportpartner.onmicrosoft.com";
    /// <summary>The only client id the token endpoint accepts; null accepts any.</summary>
    public string? ClientId { get; init; }
    /// <summary>The only client secret the token endpoint accepts; null accepts any.</summary>
    public string? ClientSecret { get; init; }
    public string TokenSigningKey { get; init; } = "skyport-partner-center-emulator";
    /// <summary>Redirect URIs registered for the partner's application; the control plane can add more.</summary>
    public IReadOnlyList<string> RedirectUris { get; init; } = [];
    /// <summary>The Admin agent seeded in the partner tenant on a new state file (its user name is <c>admin@{PartnerDomain}</c>).</summary>
    public string AdminAgentPassword { get; init; } = DefaultAdminAgentPassword;
    public const string DefaultAdminAgentPassword = "Skyport-Partner-2026!";
    public string AdminAgentUserPrincipalName => "admin@" + PartnerDomain.ToLowerInvariant();
    /// <summary>Partner Center's own rate limits (429 with Retry-After) when on.</summary>
    public bool ThrottlingEnabled { get; init; }
    public int CustomerRequestsPerMinute { get; init; } = 500;
    public int PartnerRequestsPerMinute { get; init; } = 1000;
    /// <summary>Seed of the random source that decides which requests injected faults hit.</summary>
    public int FaultSeed { get; init; } = 1;
    /// <summary>Sets the emulator's clock at start; otherwise it keeps the saved offset (or real time).</summary>
    public DateTimeOffset? InitialClock { get; init; }
    public TimeSpan LifecycleInterval { get; init; } = TimeSpan.FromMinutes(1);
    public TimeSpan WebhookRetryDelay { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>Embedded in another app: ignore the host's configuration files and environment, and log warnings only.</summary>
    public bool Embedded { get; init; }
    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Information;
    /// <summary>The customer's admin approves a GDAP relationship this long after it is locked for approval; null: only through the control plane.</summary>
    public TimeSpan? GdapApproveAfter { get; init; }

    /// <summary>Applies the <c>Emulator</c> configuration section (command line, environment) over these options.</summary>
    public EmulatorOptions WithConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection("Emulator");
        var options = this;
        if (section["StatePath"] is { } statePath) options = options with { StatePath = statePath.Length == 0 || statePath == ":memory:" ? null : statePath };
        if (Guid.TryParse(section["PartnerTenantId"], out var partner)) options = options with { PartnerTenantId = partner };
        if (section["PartnerDomain"] is { Length: > 0 } domain) options = options with { PartnerDomain = domain };
        if (section["ClientId"] is { Length: > 0 } clientId) options = options with { ClientId = clientId };
        if (section["ClientSecret"] is { Length: > 0 } secret) options = options with { ClientSecret = secret };
        if (bool.TryParse(section["ThrottlingEnabled"] ?? configuration["Throttling:Enabled"], out var throttling)) options = options with { ThrottlingEnabled = throttling };
        if (int.TryParse(section["FaultSeed"], out var seed)) options = options with { FaultSeed = seed };
        if (DateTimeOffset.TryParse(section["InitialClock"], out var clock)) options = options with { InitialClock = clock };
        if (section["RedirectUris"] is { Length: > 0 } uris) options = options with { RedirectUris = [.. RedirectUris, .. uris.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] };
        if (section["AdminAgentPassword"] is { Length: > 0 } adminPassword) options = options with { AdminAgentPassword = adminPassword };
        if (double.TryParse(section["GdapApproveAfterSeconds"], System.Globalization.CultureInfo.InvariantCulture, out var approve)) options = options with { GdapApproveAfter = TimeSpan.FromSeconds(approve) };
        return options;
    }
}

/// <summary>Builds the emulator's web application; used by its own Program and by Skyport's embedded mode.</summary>
public static class EmulatorApp
{
    public static WebApplication Create(string[] args, EmulatorOptions options)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(EmulatorApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (options.Embedded)
        {
            // Skyport's appsettings, environment and URLs are not the emulator's.
            builder.Configuration.Sources.Clear();
            builder.Configuration.AddInMemoryCollection();
            builder.WebHost.UseSetting("urls", "");
        }
        options = options.WithConfiguration(builder.Configuration);
        builder.Logging.SetMinimumLevel(options.Embedded ? LogLevel.Warning : options.MinimumLogLevel);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(5));

        var clock = new EmulatorClock();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(clock);
        builder.Services.AddSingleton<StateGate>();
        builder.Services.AddSingleton<TokenService>();
        builder.Services.AddSingleton<AppRegistration>();
        builder.Services.AddSingleton<SignInFlows>();
        builder.Services.AddSingleton<FaultInjector>();
        builder.Services.AddSingleton<Throttler>();
        builder.Services.AddSingleton<WebhookDispatcher>();
        builder.Services.AddSingleton<WebhookSigner>();
        builder.Services.AddScoped<Lifecycle>();
        builder.Services.AddHostedService<LifecycleTimer>();
        builder.Services.AddSingleton<ProcessingSettings>();
        builder.Services.AddSingleton<DelayedWork>();
        builder.Services.AddHostedService<DelayedWorkTimer>();
        builder.Services.AddHttpClient(nameof(WebhookDispatcher), c => c.Timeout = TimeSpan.FromSeconds(10));
        if (options.StatePath is null)
        {
            var connection = new SqliteConnection("Data Source=:memory:");
            connection.Open();
            builder.Services.AddSingleton(connection);
            builder.Services.AddDbContext<EmulatorDb>(o => o.UseSqlite(connection));
        }
        else
        {
            var full = Path.GetFullPath(options.StatePath);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            builder.Services.AddDbContext<EmulatorDb>(o => o.UseSqlite($"Data Source={full}"));
        }

        var app = builder.Build();
        Initialize(app, options, clock);

        app.Use(async (http, next) =>
        {
            try
            {
                await next(http);
            }
            catch (BadHttpRequestException e) when (!http.Response.HasStarted)
            {
                http.Response.Clear();
                await (Errors.IsGraph(http.Request.Path) ? Errors.GraphBadRequest(http, e.Message) : Errors.PcInvalid(e.Message)).ExecuteAsync(http);
            }
            catch (Exception e) when (!http.Response.HasStarted && e is not OperationCanceledException)
            {
                http.RequestServices.GetRequiredService<ILogger<EmulatorDb>>().LogError(e, "Unexpected error");
                http.Response.Clear();
                await (Errors.IsGraph(http.Request.Path)
                    ? Errors.Graph(http, 500, "generalException", "An unexpected error occurred.")
                    : Errors.Pc(500, 500, "An unexpected error occurred.")).ExecuteAsync(http);
            }
        });
        Pipeline.Use(app);

        TokenEndpoint.Map(app);
        AuthorizeEndpoints.Map(app);
        var v1 = app.MapGroup("/v1");
        CatalogEndpoints.Map(v1);
        CustomerEndpoints.Map(v1);
        PcUserEndpoints.Map(v1);
        OrderEndpoints.Map(v1);
        AgreementEndpoints.Map(v1);
        ApplicationConsentEndpoints.Map(v1);
        DelegatedAdminEndpoints.Map(app);
        SubscriptionEndpoints.Map(v1);
        InvoiceEndpoints.Map(v1);
        PriceSheetEndpoints.Map(app);
        WebhookEndpoints.Map(app);
        GraphEndpoints.Map(app);
        ControlEndpoints.Map(app);
        PartnerUserControl.Map(app);
        app.MapGet("/", () => Results.Redirect("/_emulator/"));
        app.MapFallback("/v1/{**rest}", () => Errors.Pc(404, 1000, "Not found", "No such Partner Center resource."));
        return app;
    }

    private static void Initialize(WebApplication app, EmulatorOptions options, EmulatorClock clock)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<EmulatorDb>();
        db.Database.EnsureCreated();
        db.UpgradeSchema();
        if (db.Tenants.Find(options.PartnerTenantId) is null)
        {
            db.Tenants.Add(new Tenant
            {
                Id = options.PartnerTenantId,
                IsPartner = true,
                CommerceId = Guid.NewGuid(),
                Domain = options.PartnerDomain.ToLowerInvariant(),
                CompanyName = "Skyport partner",
                CreatedAt = DateTime.UtcNow,
            });
        }
        if (!db.PartnerUsers.Any())
        {
            db.PartnerUsers.Add(new PartnerUser
            {
                Id = Guid.NewGuid(),
                UserPrincipalName = options.AdminAgentUserPrincipalName,
                DisplayName = "Partner admin agent",
                Password = options.AdminAgentPassword,
                Roles = [PartnerRoles.AdminAgent],
            });
        }
        app.Services.GetRequiredService<AppRegistration>().Load(db, options);
        if (options.InitialClock is { } initial)
        {
            clock.SetNow(initial);
            var offset = db.Meta.Find("clockOffsetTicks");
            if (offset is null) db.Meta.Add(new MetaValue { Key = "clockOffsetTicks", Value = clock.Offset.Ticks.ToString() });
            else offset.Value = clock.Offset.Ticks.ToString();
        }
        else if (db.Meta.Find("clockOffsetTicks") is { } saved)
        {
            clock.SetOffset(TimeSpan.FromTicks(long.Parse(saved.Value)));
        }
        if (db.Meta.Find(Lifecycle.ProcessedKey) is null)
        {
            // Days before the emulator's first start have nothing to process.
            db.Meta.Add(new MetaValue { Key = Lifecycle.ProcessedKey, Value = clock.Today.ToString("O") });
        }
        scope.ServiceProvider.GetRequiredService<WebhookSigner>().Load(db, clock);
        scope.ServiceProvider.GetRequiredService<DelayedWork>().Load(db);
        db.SaveChanges();
        scope.ServiceProvider.GetRequiredService<WebhookDispatcher>().Registration = db.Webhooks.OrderBy(w => w.Id).FirstOrDefault();
    }
}
