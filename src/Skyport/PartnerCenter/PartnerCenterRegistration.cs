using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Skyport.PartnerCenterEmulator;
using Skyport.PartnerCenterEmulator.Core;
using EmulatorWebApplication = Microsoft.AspNetCore.Builder.WebApplication;

namespace Skyport.PartnerCenter;

/// <summary>
/// The embedded emulator, when Skyport runs one; stopped when Skyport's host stops. It is built and started the
/// first time Skyport's container asks for it, after Skyport's own host is built: a host built earlier would be
/// taken for Skyport's by WebApplicationFactory in the tests.
/// </summary>
public sealed class EmbeddedEmulator(EmulatorWebApplication app, string baseUrl) : IHostedService, IAsyncDisposable
{
    public string BaseUrl { get; } = baseUrl;
    public EmulatorClock Clock => app.Services.GetRequiredService<EmulatorClock>();
    /// <summary>What signs the emulator's webhooks (tests sign bodies of their own with it).</summary>
    public Skyport.PartnerCenterEmulator.Webhooks.WebhookSigner WebhookSigner => app.Services.GetRequiredService<Skyport.PartnerCenterEmulator.Webhooks.WebhookSigner>();

    internal static EmbeddedEmulator Start(PartnerCenterOptions options)
    {
        var statePath = options.EmulatorStatePath is ":memory:" or "" ? null : options.EmulatorStatePath;
        if (statePath is not null && Path.GetDirectoryName(Path.GetFullPath(statePath)) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }
        var app = EmulatorApp.Create([], new EmulatorOptions
        {
            StatePath = statePath,
            Embedded = true,
            PartnerTenantId = Guid.TryParse(options.TenantId, out var tenant) ? tenant : EmulatorOptions.DefaultPartnerTenantId,
            ClientId = options.ClientId,
            ClientSecret = options.ClientSecret,
            ThrottlingEnabled = options.EmulatorThrottling,
            GdapApproveAfter = options.EmulatorApprovesRelationshipsAfter,
        });
        app.Urls.Add("http://127.0.0.1:0");
        app.StartAsync().GetAwaiter().GetResult();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return new EmbeddedEmulator(app, address);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken) => await app.StopAsync(cancellationToken);

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}

public static class PartnerCenterRegistration
{
    /// <summary>
    /// Registers Skyport's Partner Center side from configuration section <c>PartnerCenter</c>: in Embedded mode
    /// (the default) starts the emulator on a free loopback port first; then the typed <see cref="PartnerCenterClient"/>,
    /// <see cref="PartnerCenterGraph"/>, the token provider and, when the other side is an emulator, a
    /// <see cref="TimeProvider"/> that follows the emulator's clock.
    /// </summary>
    public static async Task AddPartnerCenterAsync(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(PartnerCenterOptions.Section).Get<PartnerCenterOptions>() ?? new PartnerCenterOptions();
        TimeProvider? followedClock = null;
        var embedded = options.Mode == PartnerCenterMode.Embedded;
        var remoteIsEmulator = false;
        if (embedded)
        {
            options.TenantId ??= EmulatorOptions.DefaultPartnerTenantId.ToString();
            builder.Services.AddSingleton(_ => EmbeddedEmulator.Start(options));
            builder.Services.AddHostedService(sp => sp.GetRequiredService<EmbeddedEmulator>());
        }
        else
        {
            if (options.BaseUrl is null || options.GraphBaseUrl is null || options.AuthorityUrl is null || options.TenantId is null)
            {
                throw new InvalidOperationException("PartnerCenter:Mode Remote needs PartnerCenter:BaseUrl, GraphBaseUrl, AuthorityUrl and TenantId.");
            }
            remoteIsEmulator = await RemoteIsEmulatorAsync(options.BaseUrl);
            if (options.FollowEmulatorClock && remoteIsEmulator)
            {
                var follower = new EmulatorClockFollower();
                using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) })
                {
                    await follower.SyncAsync(http, options.BaseUrl, CancellationToken.None);
                }
                builder.Services.AddSingleton(follower);
                builder.Services.AddHostedService<EmulatorClockPoller>();
                builder.Services.AddHttpClient(nameof(EmulatorClockPoller));
                followedClock = follower;
            }
        }

        builder.Services.AddOptions<PartnerCenterOptions>().Configure<IServiceProvider>((o, services) =>
        {
            o.Mode = options.Mode;
            var baseUrl = embedded ? services.GetRequiredService<EmbeddedEmulator>().BaseUrl : options.BaseUrl;
            o.BaseUrl = baseUrl;
            o.GraphBaseUrl = embedded ? baseUrl + "/graph/v1.0" : options.GraphBaseUrl;
            o.PartnerApiBaseUrl = embedded ? baseUrl : options.PartnerApiBaseUrl ?? (remoteIsEmulator ? baseUrl : PartnerCenterOptions.MicrosoftPartnerApiBaseUrl);
            o.AuthorityUrl = embedded ? baseUrl : options.AuthorityUrl;
            o.TenantId = options.TenantId;
            o.ClientId = options.ClientId;
            o.ClientSecret = options.ClientSecret;
            o.RefreshToken = options.RefreshToken;
            o.EmulatorAutoConnect = options.EmulatorAutoConnect;
            o.IsEmulator = embedded || remoteIsEmulator;
            o.ConfiguredSettings = [.. new[] { "TenantId", "ClientId", "ClientSecret" }.Where(k => builder.Configuration[$"{PartnerCenterOptions.Section}:{k}"] is not null)];
            o.EmulatorStatePath = options.EmulatorStatePath;
            o.FollowEmulatorClock = options.FollowEmulatorClock;
            o.EmulatorClockPollInterval = options.EmulatorClockPollInterval;
            o.Resilience = options.Resilience;
            o.WebhookCertificateHosts =
            [
                .. options.WebhookCertificateHosts ?? [PartnerCenterOptions.MicrosoftWebhookCertificateHost],
                .. embedded || remoteIsEmulator ? [new Uri(baseUrl!).Authority] : Array.Empty<string>(),
            ];
        });
        if (options.FollowEmulatorClock && embedded)
        {
            builder.Services.RemoveAll<TimeProvider>();
            builder.Services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<EmbeddedEmulator>().Clock);
        }
        else if (options.FollowEmulatorClock && followedClock is not null)
        {
            builder.Services.RemoveAll<TimeProvider>();
            builder.Services.AddSingleton(followedClock);
        }
        builder.Services.TryAddSingleton(TimeProvider.System);

        builder.Services.AddTransient<EmulatorSchemeHandler>();
        builder.Services.AddHttpClient(EntraTokenProvider.HttpClientName)
            .AddHttpMessageHandler<EmulatorSchemeHandler>()
            .AddStandardResilienceHandler(r => Configure(r, options.Resilience));
        builder.Services.AddSingleton<EntraTokenProvider>();
        builder.Services.AddHttpClient<PartnerCenterClient>((sp, c) => c.BaseAddress = new Uri(sp.GetRequiredService<IOptions<PartnerCenterOptions>>().Value.BaseUrl!))
            .AddStandardResilienceHandler(r => Configure(r, options.Resilience));
        builder.Services.AddHttpClient(PartnerCenterGraph.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => GraphClientFactory.CreatePipeline(GraphClientFactory.CreateDefaultHandlers(), new SocketsHttpHandler()))
            .ConfigureHttpClient(c => c.Timeout = options.Resilience.TotalTimeout);
        builder.Services.AddSingleton<PartnerCenterGraph>();
        builder.Services.AddSingleton<DelegatedAdmin>();
        // No redirects: a trusted certificate host must not hand the fetch to another one.
        builder.Services.AddHttpClient(PartnerCenterWebhookSignature.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        builder.Services.AddSingleton<PartnerCenterWebhookSignature>();
    }

    private static void Configure(HttpStandardResilienceOptions r, ResilienceSettings settings)
    {
        r.Retry.MaxRetryAttempts = settings.MaxRetryAttempts;
        r.Retry.Delay = settings.RetryDelay;
        r.Retry.BackoffType = Polly.DelayBackoffType.Exponential;
        r.Retry.UseJitter = true;
        r.Retry.ShouldRetryAfterHeader = true;
        r.AttemptTimeout.Timeout = settings.AttemptTimeout;
        r.TotalRequestTimeout.Timeout = settings.TotalTimeout;
        r.CircuitBreaker.SamplingDuration = settings.AttemptTimeout * 2 > TimeSpan.FromSeconds(30) ? settings.AttemptTimeout * 2 : TimeSpan.FromSeconds(30);
        r.CircuitBreaker.FailureRatio = settings.BreakerFailureRatio;
        r.CircuitBreaker.MinimumThroughput = settings.BreakerMinimumThroughput;
    }

    private static async Task<bool> RemoteIsEmulatorAsync(string baseUrl)
    {
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            using var response = await http.GetAsync($"{baseUrl.TrimEnd('/')}/_emulator/clock");
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
