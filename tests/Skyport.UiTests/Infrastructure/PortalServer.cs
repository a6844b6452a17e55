using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Skyport.UiTests.Infrastructure;

/// <summary>Skyport on real Kestrel (loopback, free port) with a SQLite file, and Debian's Chromium driven by Playwright.</summary>
public class PortalServer : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("skyport-ui-").FullName;
    private IPlaywright? _playwright;
    private readonly Dictionary<string, string?> _settings = [];

    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";

    protected void Set(string key, string? value) => _settings[key] = value;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("ConnectionStrings:Skyport", $"Data Source={Path.Combine(_folder, "skyport.db")}");
        builder.UseSetting("Skyport:SeedDemo", "true");
        builder.UseSetting("PartnerCenter:EmulatorStatePath", ":memory:");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Skyport:SignIn:AttemptsPerMinute", "1000"); // every test signs in from 127.0.0.1
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.HttpLogging.HttpLoggingMiddleware", "Warning");
        // The customer's admin approves Skyport's GDAP request at once: journeys other than the onboarding one are not
        // about that approval (the onboarding journey turns it off and approves through the emulator's control plane).
        builder.UseSetting("PartnerCenter:EmulatorApprovesRelationshipsAfter", "00:00:00");
        builder.UseSetting("Skyport:RelationshipCheckInterval", "00:00:00.500");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public async Task InitializeAsync()
    {
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().TrimEnd('/');
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                _policyViolations.Enqueue($"{page.Url}: {message.Text}");
            }
        };
        return page;
    }

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _policyViolations = new();

    /// <summary>What the browser refused under Skyport's Content-Security-Policy on any page opened so far (an inline script or style).</summary>
    public IReadOnlyCollection<string> PolicyViolations => _policyViolations;

    /// <summary>Saves a full-page screenshot when SKYPORT_SCREENSHOTS names a folder (for people reviewing the pages).</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("SKYPORT_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
        }
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
