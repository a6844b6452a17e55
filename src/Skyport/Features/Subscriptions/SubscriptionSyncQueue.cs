using System.Threading.Channels;

namespace Skyport.Features.Subscriptions;

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
}
