using Skyport.Features.Billing.Rating;
using Skyport.PartnerCenter;
using Skyport.Web;

namespace Skyport.Features.Subscriptions;

/// <summary>The rules of a change to a subscription (quantity, status, auto-renew, friendly name) that need no database and no Partner Center.</summary>
public static class ChangeSubscriptionRules
{
    /// <summary>The request's fields, checked, with the status trimmed and in lower case and the friendly name trimmed (empty removes it).</summary>
    public static Outcome<ChangeSubscriptionRequest> Check(ChangeSubscriptionRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Quantity is null && request.Status is null && request.AutoRenew is null && request.FriendlyName is null && request.EndOfTermAction is null)
            errors["quantity"] = ["Say what to change: quantity, status, autoRenew, endOfTermAction or friendlyName."];
        if (request.Quantity is < 1 or > SubscriptionMath.MaxQuantity) errors["quantity"] = [$"The quantity must be between 1 and {SubscriptionMath.MaxQuantity:N0}."];
        var status = request.Status?.Trim().ToLowerInvariant();
        if (status is not (null or "active" or "suspended" or "cancelled")) errors["status"] = ["The status must be active, suspended or cancelled."];
        else if (status == "cancelled" && (request.Quantity ?? request.AutoRenew ?? (object?)request.EndOfTermAction ?? request.FriendlyName) is not null)
            errors["status"] = ["A cancellation is asked on its own, without other changes."];
        var action = request.EndOfTermAction?.Trim().ToLowerInvariant();
        if (action is not null && !EndOfTermActions.All.Contains(action)) errors["endOfTermAction"] = ["The end-of-term action must be renew, extend or cancel."];
        else if (action is not null && request.AutoRenew is not null) errors["endOfTermAction"] = ["Give either autoRenew or endOfTermAction, not both."];
        var friendlyName = request.FriendlyName?.Trim();
        if (friendlyName?.Length > SubscriptionMath.MaxFriendlyName) errors["friendlyName"] = [$"The friendly name has at most {SubscriptionMath.MaxFriendlyName} characters."];
        if (errors.Count > 0) return Failure.Invalid(errors);
        return request with { Status = status, FriendlyName = friendlyName, EndOfTermAction = action };
    }

    /// <summary>
    /// A refused change of quantity to <paramref name="quantity"/>, telling the client when the removal window closed and
    /// how many licenses must be unassigned first (of the <paramref name="consumed"/> ones) where that is the reason.
    /// </summary>
    public static Failure QuantityRefused(RuleDecision decision, int quantity, int consumed)
    {
        var extensions = new Dictionary<string, object?>();
        if (decision.WindowClosedAt is { } closed) extensions["windowClosedAt"] = closed;
        if (quantity < consumed) extensions["licensesToUnassign"] = consumed - quantity;
        return Failure.RuleRefused(decision.Reason!) with { Extensions = extensions };
    }

    /// <summary>A change Partner Center refused, with its reason.</summary>
    public static Failure PartnerCenterRefused(PartnerCenterError error) => error.HttpStatus == 404
        ? Failure.NotFound("The subscription")
        : Failure.RuleRefused($"Partner Center refused the change: {error.Description}");

    /// <summary>The audit log's name of a change that stores an event of <paramref name="kind"/> (none: a new friendly name).</summary>
    public static string AuditAction(SubscriptionEventKind? kind) => kind switch
    {
        SubscriptionEventKind.ChangeQuantity => "Change quantity",
        SubscriptionEventKind.Suspend => "Suspend subscription",
        SubscriptionEventKind.Activate => "Activate subscription",
        SubscriptionEventKind.SetAutoRenew => "Set auto-renew",
        SubscriptionEventKind.Cancel => "Cancel subscription",
        SubscriptionEventKind.CancelAtTermEnd => "Cancel at term end",
        _ => "Rename subscription",
    };
}
