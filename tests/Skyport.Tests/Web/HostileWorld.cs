using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Web;

/// <summary>The real ids hostile requests aim at, and the generators that use them.</summary>
public sealed record HostileWorld(FurnishedCustomer Customer, Guid Broker, Guid Reseller, Hostile Hostile)
{
    /// <summary>The real id a route parameter expects.</summary>
    public string RealFor(string routeParameter) => (routeParameter switch
    {
        "sid" or "subscriptionId" => Customer.SubscriptionId,
        "uid" or "userId" => Customer.UserId,
        "resellerId" => Reseller,
        _ => Customer.Id,
    }).ToString();
}
