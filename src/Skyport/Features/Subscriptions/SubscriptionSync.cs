using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Skyport.PartnerCenter;

namespace Skyport.Features.Subscriptions;

public sealed class SubscriptionSyncOptions
{
    public TimeSpan ReconcileEvery { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>The URL Partner Center calls back; by default Skyport's own first address.</summary>
    public string? WebhookUrl { get; set; }
}

/// <summary>Tenants whose subscriptions changed in Partner Center, waiting to be reconciled outside any request.</summary>
public sealed class SubscriptionSyncQueue
{
    private readonly Channel<Guid> _tenants = Channel.CreateUnbounded<Guid>();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, int> _purchases = new();

    /// <summary>
    /// Marks a purchase of this instance in progress for a tenant, so that the webhook Partner Center sends for it does
    /// not make the reconciler adopt the new subscription before the purchase stores it with its price and order details.
    /// </summary>
    public IDisposable PurchaseInFlight(Guid tenantId)
    {
        _purchases.AddOrUpdate(tenantId, 1, (_, n) => n + 1);
        return new Release(() => _purchases.AddOrUpdate(tenantId, 0, (_, n) => n - 1));
    }

    public bool IsPurchasing(Guid tenantId) => _purchases.TryGetValue(tenantId, out var n) && n > 0;

    private sealed class Release(Action action) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) action();
        }
    }

    public void Enqueue(Guid tenantId) => _tenants.Writer.TryWrite(tenantId);

    public ChannelReader<Guid> Reader => _tenants.Reader;

    /// <summary>
    /// Reads the customer (tenant) id out of a Partner Center webhook's resource URI (<c>.../customers/{id}/subscriptions/{sid}</c>).
    /// The webhook is only a hint: what changed is read from Partner Center, so a forged call can change nothing.
    /// </summary>
    public static Guid? TenantOf(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object) return null;
        try
        {
            var uri = payload.EnumerateObject().FirstOrDefault(p => p.NameEquals("ResourceUri") || p.Name.Equals("resourceUri", StringComparison.OrdinalIgnoreCase)).Value;
            if (uri.ValueKind != JsonValueKind.String) return null;
            var segments = uri.GetString()!.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var index = Array.FindIndex(segments, s => s.Equals("customers", StringComparison.OrdinalIgnoreCase));
            return index >= 0 && index + 1 < segments.Length && Guid.TryParse(segments[index + 1], out var tenant) ? tenant : null;
        }
        catch (InvalidOperationException)
        {
            // A name or value escaped as a lone surrogate ("\ud800") is valid JSON but no .NET string can read it: it names no tenant.
            return null;
        }
    }
}

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
                .RegisterWebhookAsync(url, ["subscription-updated", "subscription-renewed"], ct);
            if (result.IsSuccess) logger.LogInformation("Partner Center webhooks go to {Url}", url);
            else logger.LogWarning("Partner Center refused the webhook registration: {Error}", result.Error);
        }
        catch (Exception exception) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(exception, "The webhook registration failed; subscriptions are kept in step by the scheduled reconcile");
        }
    }
}
