using System.Threading.Channels;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Skyport.PartnerCenter;

namespace Skyport.Features.Subscriptions;

/// <summary>Registers Skyport's webhook URL with Partner Center, reconciles tenants named by webhooks at once, and all tenants on a schedule.</summary>
public sealed class SubscriptionSync(
    IServiceScopeFactory scopes,
    SubscriptionSyncQueue queue,
    IServer server,
    IHostApplicationLifetime lifetime,
    IOptions<SubscriptionSyncOptions> options,
    ILogger<SubscriptionSync> logger) : BackgroundService
{
    public const string WebhookPath = "/api/v1/webhooks/partner-center";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = RegisterWebhookAsync(stoppingToken));
        var webhooks = Task.Run(() => DrainAsync(stoppingToken), stoppingToken);
        using var timer = new PeriodicTimer(options.Value.ReconcileEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await ReconcileAllAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
        await webhooks.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task DrainAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var tenant in queue.Reader.ReadAllAsync(ct))
            {
                if (queue.IsPurchasing(tenant))
                {
                    _ = Task.Delay(TimeSpan.FromMilliseconds(500), ct).ContinueWith(_ => queue.Enqueue(tenant), TaskScheduler.Default);
                    continue;
                }
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<SubscriptionReconciler>().ReconcileTenantAsync(tenant, ct);
                }
                catch (Exception exception) when (!ct.IsCancellationRequested)
                {
                    logger.LogWarning(exception, "Reconciling tenant {Tenant} after a webhook failed; the schedule catches up", tenant);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private async Task ReconcileAllAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<SubscriptionReconciler>().ReconcileAllAsync(logger, ct);
        }
        catch (Exception exception) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(exception, "The scheduled subscription reconcile failed");
        }
    }

    private async Task RegisterWebhookAsync(CancellationToken ct)
    {
        var url = options.Value.WebhookUrl
            ?? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(a => a.StartsWith("http", StringComparison.OrdinalIgnoreCase))?.TrimEnd('/') + WebhookPath;
        if (url is null || url == WebhookPath)
        {
            logger.LogInformation("No address to receive Partner Center webhooks; subscriptions are kept in step by the scheduled reconcile");
            return;
        }
        url = url.Replace("://0.0.0.0", "://127.0.0.1").Replace("://[::]", "://127.0.0.1");
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<PartnerCenterClient>()
                .RegisterWebhookAsync(url, PartnerCenterWebhook.SubscriptionEvents, ct);
            if (result.IsSuccess) logger.LogInformation("Partner Center webhooks go to {Url}", url);
            else logger.LogWarning("Partner Center refused the webhook registration: {Error}", result.Error);
        }
        catch (Exception exception) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(exception, "The webhook registration failed; subscriptions are kept in step by the scheduled reconcile");
        }
    }
}
