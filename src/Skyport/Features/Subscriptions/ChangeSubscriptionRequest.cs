namespace Skyport.Features.Subscriptions;

/// <param name="Status"><c>active</c>, <c>suspended</c>, or <c>cancelled</c> (within the 168-hour window, or in the extended service term).</param>
/// <param name="EndOfTermAction"><see cref="EndOfTermActions"/>: renew, extend or cancel (R12).</param>
public sealed record ChangeSubscriptionRequest(int? Quantity, string? Status, bool? AutoRenew, string? FriendlyName, string? EndOfTermAction = null);
