using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.AspNetCore.Identity;
using Skyport.Data;
using Skyport.Features.Accounts;
using Skyport.Features.Billing.Preview;
using Skyport.Features.Billing.Reports;
using Skyport.Features.Email;
using Skyport.Features.Renewals;
using Skyport.Features.Organizations;
using Skyport.Features.Tenants;
using Skyport.Features.Catalog;
using Skyport.Features.Subscriptions;
using Skyport.Features.Users;
using Skyport.Features.Directory;
using Skyport.PartnerCenter;
using Skyport.Web;
using Skyport.Web.Jobs;
using Skyport.Features.Jobs;
using Skyport.Features.ConnectionCheck;
using Microsoft.Extensions.DependencyInjection.Extensions;

var builder = WebApplication.CreateBuilder(args);
var services = builder.Services;
var checkOnly = Skyport.Features.ConnectionCheck.CheckPartnerCenterCommand.IsRequested(args);
if (checkOnly)
{
    builder.WebHost.UseUrls("http://127.0.0.1:0"); // beside a running portal
    builder.Logging.ClearProviders(); // the check's own lines only; a failure to start still throws
}
await builder.AddPartnerCenterAsync();

services.TryAddSingleton(TimeProvider.System); // the Partner Center registration may have put the emulator's clock here
services.AddHttpContextAccessor();
services.AddScoped<Caller>();
services.AddSkyportDatabase(builder.Configuration);
services.AddHostedService<DatabaseInitializer>();
services.AddSingleton<ThisInstance>();
services.AddHostedService<InstanceHeartbeat>();
if (!checkOnly)
{
    services.AddHostedService<StartupBanner>();
}
services.AddEmail(builder.Configuration);

services.AddIdentityCore<AppUser>(options =>
    {
        options.User.RequireUniqueEmail = true;
        options.User.AllowedUserNameCharacters = ""; // the user name is the email address, whatever characters it has
        options.Password.RequiredLength = 10;
        options.Lockout.AllowedForNewUsers = true;
        options.Lockout.MaxFailedAccessAttempts = 5;
        options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
    })
    .AddEntityFrameworkStores<SkyportDbContext>()
    .AddSignInManager()
    .AddClaimsPrincipalFactory<SkyportClaimsFactory>();

const string SmartScheme = "Skyport";
services.AddAuthentication(options =>
    {
        options.DefaultScheme = SmartScheme;
        options.DefaultChallengeScheme = SmartScheme;
    })
    .AddPolicyScheme(SmartScheme, "API key or cookie", options =>
        options.ForwardDefaultSelector = context =>
            ApiKeyAuthenticationHandler.TryReadBearer(context.Request, out _) ? ApiKeyAuthenticationHandler.SchemeName : IdentityConstants.ApplicationScheme)
    .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
    .AddIdentityCookies();
services.ConfigureApplicationCookie(options =>
{
    options.LoginPath = "/account/login";
    options.LogoutPath = "/account/logout";
    options.AccessDeniedPath = "/status/403";
    options.Cookie.Name = "skyport";
    options.Cookie.SameSite = SameSiteMode.Lax;
    options.SlidingExpiration = true;
    options.Events.OnRedirectToLogin = context => RejectApiOr(context.HttpContext, StatusCodes.Status401Unauthorized, context.RedirectUri);
    options.Events.OnRedirectToAccessDenied = context => RejectApiOr(context.HttpContext, StatusCodes.Status403Forbidden, context.RedirectUri);
});
services.AddAuthorizationBuilder()
    .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
    .AddPolicy(Policies.Broker, policy => policy.RequireRole(Roles.BrokerAdministrator));

services.AddSkyportProblemDetails();
services.AddSkyportSecurity(builder.Configuration);
services.AddExceptionHandler<SkyportExceptionHandler>();
services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
services.ConfigureHttpJsonOptions(options =>
{
    options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
    options.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip;
});
services.AddOpenApi();
services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
services.AddHttpLogging(options =>
{
    options.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;
    options.CombineLogs = true;
});
services.AddRazorPages(options =>
{
    options.RootDirectory = "/Features";
    options.Conventions.ConfigureFilter(new UnknownPageHandler());
});
services.AddAntiforgery(options => options.HeaderName = "RequestVerificationToken");
// Sign-in cookies survive a restart; instances behind one load balancer share this folder.
services.AddDataProtection()
    .SetApplicationName("Skyport")
    .PersistKeysToFileSystem(new DirectoryInfo(builder.Configuration["Skyport:DataProtectionKeysPath"] ?? "./data/keys"));

services.AddScoped<RequestIdempotency>();
services.AddScoped<OrganizationQueries>();
services.AddScoped<UpdateProperties>();
services.AddScoped<UpdateBilling>();
services.AddScoped<CreateOrganization>();
services.AddScoped<ApiKeys>();
services.AddScoped<Skyport.Features.Audit.AuditLog>();
services.AddScoped<Skyport.Features.Tenants.AddO365Service>();
services.AddScoped<Skyport.Features.Billing.Reports.BillingReports>();
services.AddScoped<Skyport.Features.Billing.Issuing.ReportIssuer>();
services.Configure<Skyport.Features.Billing.Issuing.BillingIssueOptions>(builder.Configuration.GetSection("Skyport:Billing"));
services.AddHostedService<Skyport.Features.Billing.Issuing.IssueAtCycleClose>();
services.AddHostedService<RelationshipWatcher>();
services.Configure<Skyport.Features.Catalog.CatalogOptions>(builder.Configuration.GetSection("Skyport:Catalog"));
services.AddScoped<Skyport.Features.Catalog.ImportCatalog>();
services.AddScoped<Skyport.Features.Catalog.CatalogQueries>();
services.AddScoped<Skyport.Features.Catalog.PriceListService>();
services.AddScoped<Skyport.Features.Catalog.DemoPriceList>();
services.AddScoped<Skyport.Features.PartnerCenterConnection.ConnectPartnerCenter>();
services.AddHostedService<Skyport.Features.Catalog.CatalogSync>();
services.AddSubscriptions(builder.Configuration);
services.AddRenewals(builder.Configuration);
services.AddUsers(builder.Configuration);
services.AddBulkJobs();
services.AddScoped<Skyport.Features.ConnectionCheck.CheckPartnerCenter>();

var app = builder.Build();
if (checkOnly)
{
    return await Skyport.Features.ConnectionCheck.CheckPartnerCenterCommand.RunAsync(app);
}

if (app.Configuration["Skyport:PathBase"] is { Length: > 0 } pathBase)
{
    app.UsePathBase(pathBase);
}
app.UseHttpLogging();
app.UseExceptionHandler();
app.UseWhen(context => SkyportExceptionHandler.IsApi(context.Request), api => api.UseStatusCodePages());
app.UseWhen(context => !SkyportExceptionHandler.IsApi(context.Request), pages => pages.UseStatusCodePagesWithReExecute("/status/{0}"));
app.UseSkyportSecurity();
app.UseStaticFiles();
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.UsePasswordChangeGate();
app.UseOrganizationAccess();
app.UseIdempotencyBuffering();

app.MapHealthChecks("/health").AllowAnonymous();
app.MapOpenApi().AllowAnonymous();
app.MapGroup("/api/v1")
    .RequireAuthorization()
    .MapOrganizations()
    .MapBillingPreview()
    .MapBillingReports()
    .MapTenants()
    .MapCatalogAndPriceLists()
    .MapSubscriptions()
    .MapRenewals()
    .MapUsers()
    .MapDirectory()
    .MapJobs()
    .MapConnectionCheck();
app.MapRazorPages();

app.Run();
return 0;

static Task RejectApiOr(HttpContext context, int status, string redirectUri)
{
    if (SkyportExceptionHandler.IsApi(context.Request))
    {
        context.Response.StatusCode = status;
    }
    else
    {
        context.Response.Redirect(redirectUri);
    }
    return Task.CompletedTask;
}

public partial class Program;
