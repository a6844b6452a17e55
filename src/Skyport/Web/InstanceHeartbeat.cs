using Microsoft.EntityFrameworkCore;
using Skyport.Data;

namespace Skyport.Web;

/// <summary>
/// Registers this instance before the server takes requests (it starts after the database initializer), writes its
/// heartbeat every second while it runs, and removes it on a clean stop.
/// </summary>
public sealed class InstanceHeartbeat(IServiceScopeFactory scopes, ThisInstance instance, ILogger<InstanceHeartbeat> logger) : BackgroundService
{
    /// <summary>Rows of instances gone this long are deleted; younger ones are kept for diagnosis.</summary>
    private static readonly TimeSpan ForgetAfter = TimeSpan.FromDays(1);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SkyportDbContext>();
            var now = DateTimeOffset.UtcNow;
            db.Instances.Add(new SkyportInstance { Id = instance.Id, Name = instance.Name, StartedAt = now, HeartbeatAt = now });
            await db.SaveChangesAsync(cancellationToken);
            var forgotten = now - ForgetAfter;
            await db.Instances.Where(i => i.HeartbeatAt < forgotten).ExecuteDeleteAsync(cancellationToken);
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(ThisInstance.HeartbeatInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await BeatAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private async Task BeatAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SkyportDbContext>();
            var now = DateTimeOffset.UtcNow;
            await db.Instances.Where(i => i.Id == instance.Id).ExecuteUpdateAsync(i => i.SetProperty(x => x.HeartbeatAt, now), ct);
        }
        catch (Exception exception) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(exception, "The instance heartbeat could not be written; others may take this instance's work over");
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<SkyportDbContext>().Instances.Where(i => i.Id == instance.Id).ExecuteDeleteAsync(cancellationToken);
        }
        catch (Exception exception)
        {
            logger.LogInformation(exception, "The instance row was not removed at stop; it ages out");
        }
    }
}
