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

/// <summary>The embedded emulator, when Skyport runs one; stopped when Skyport's host stops.</summary>
public sealed class EmbeddedEmulator(EmulatorWebApplication app, string baseUrl) : IHostedService, IAsyncDisposable
{
    public string BaseUrl { get; } = baseUrl;
    public EmulatorClock Clock => app.Services.GetRequiredService<EmulatorClock>();

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
        if (options.Mode == PartnerCenterMode.Embedded)
        {
            var embedded = await StartEmbeddedAsync(options);
            builder.Services.AddSingleton(_ => embedded); // a factory, so that the container disposes it
            builder.Services.AddHostedService(sp => sp.GetRequiredService<EmbeddedEmulator>());
            options.BaseUrl = embedded.BaseUrl;
            options.GraphBaseUrl = embedded.BaseUrl + "/graph/v1.0";
            options.AuthorityUrl = embedded.BaseUrl;
            options.TenantId ??= EmulatorOptions.DefaultPartnerTenantId.ToString();
            followedClock = embedded.Clock;
            Console.WriteLine($"Partner Center emulator (embedded) on {embedded.BaseUrl}; inspection page {embedded.BaseUrl}/_emulator/");
        }
        else
        {
            if (options.BaseUrl is null || options.GraphBaseUrl is null || options.AuthorityUrl is null || options.TenantId is null)
            {
                throw new InvalidOperationException("PartnerCenter:Mode Remote needs PartnerCenter:BaseUrl, GraphBaseUrl, AuthorityUrl and TenantId.");
            }
            if (options.FollowEmulatorClock && await RemoteIsEmulatorAsync(options.BaseUrl))
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

        builder.Services.Configure<PartnerCenterOptions>(o =>
        {
            o.Mode = options.Mode;
            o.BaseUrl = options.BaseUrl;
            o.GraphBaseUrl = options.GraphBaseUrl;
            o.AuthorityUrl = options.AuthorityUrl;
            o.TenantId = options.TenantId;
            o.ClientId = options.ClientId;
            o.ClientSecret = options.ClientSecret;
            o.EmulatorStatePath = options.EmulatorStatePath;
            o.FollowEmulatorClock = options.FollowEmulatorClock;
            o.EmulatorClockPollInterval = options.EmulatorClockPollInterval;
            o.Resilience = options.Resilience;
        });
        if (options.FollowEmulatorClock && followedClock is not null)
        {
            builder.Services.RemoveAll<TimeProvider>();
            builder.Services.AddSingleton(followedClock);
        }
        builder.Services.TryAddSingleton(TimeProvider.System);

        builder.Services.AddHttpClient(EntraTokenProvider.HttpClientName).AddStandardResilienceHandler(r => Configure(r, options.Resilience));
        builder.Services.AddSingleton<EntraTokenProvider>();
        builder.Services.AddHttpClient<PartnerCenterClient>(c => c.BaseAddress = new Uri(options.BaseUrl!))
            .AddStandardResilienceHandler(r => Configure(r, options.Resilience));
        builder.Services.AddHttpClient(PartnerCenterGraph.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => GraphClientFactory.CreatePipeline(GraphClientFactory.CreateDefaultHandlers(), new SocketsHttpHandler()))
            .ConfigureHttpClient(c => c.Timeout = options.Resilience.TotalTimeout);
        builder.Services.AddSingleton<PartnerCenterGraph>();
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
    }

    private static async Task<EmbeddedEmulator> StartEmbeddedAsync(PartnerCenterOptions options)
    {
        var statePath = options.EmulatorStatePath is ":memory:" or "" ? null : options.EmulatorStatePath;
        var app = EmulatorApp.Create([], new EmulatorOptions
        {
            StatePath = statePath,
            Embedded = true,
            PartnerTenantId = Guid.TryParse(options.TenantId, out var tenant) ? tenant : EmulatorOptions.DefaultPartnerTenantId,
            ClientId = options.ClientId,
            ClientSecret = options.ClientSecret,
        });
        app.Urls.Add("http://127.0.0.1:0");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return new EmbeddedEmulator(app, address);
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
