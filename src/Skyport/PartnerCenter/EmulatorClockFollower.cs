using System.Net.Http.Json;
using Microsoft.Extensions.Options;

namespace Skyport.PartnerCenter;

/// <summary>
/// Skyport's time when it talks to a standalone emulator: real time plus the emulator's offset,
/// read from <c>GET /_emulator/clock</c> at start and then periodically.
/// </summary>
public sealed class EmulatorClockFollower : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    public async Task SyncAsync(HttpClient http, string baseUrl, CancellationToken ct)
    {
        var before = System.GetUtcNow();
        var clock = await http.GetFromJsonAsync<ClockBody>($"{baseUrl.TrimEnd('/')}/_emulator/clock", ct);
        var after = System.GetUtcNow();
        var local = before + (after - before) / 2;
        Interlocked.Exchange(ref _offsetTicks, (clock!.Now - local).Ticks);
    }

    private sealed record ClockBody(DateTimeOffset Now);
}

internal sealed class EmulatorClockPoller(EmulatorClockFollower follower, IHttpClientFactory httpClients, IOptions<PartnerCenterOptions> options, ILogger<EmulatorClockPoller> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.EmulatorClockPollInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await follower.SyncAsync(httpClients.CreateClient(nameof(EmulatorClockPoller)), options.Value.BaseUrl!, stoppingToken);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Could not read the emulator's clock; keeping the last offset.");
            }
        }
    }
}
