using Skyport.Web;

namespace Skyport.Features.Subscriptions;

/// <summary>Who a change made in Skyport is recorded as: the signed-in user, else Skyport's own jobs.</summary>
public static class SubscriptionActor
{
    public static string Of(Caller caller) => caller.IsSignedIn ? caller.DisplayName : "system";
}
