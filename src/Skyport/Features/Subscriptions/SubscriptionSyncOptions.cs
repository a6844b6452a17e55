namespace Skyport.Features.Subscriptions;

public sealed class SubscriptionSyncOptions
{
    public TimeSpan ReconcileEvery { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>The URL Partner Center calls back; by default Skyport's own first address.</summary>
    public string? WebhookUrl { get; set; }
}
