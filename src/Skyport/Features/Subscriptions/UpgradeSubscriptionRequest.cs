namespace Skyport.Features.Subscriptions;

/// <summary>Moves <see cref="Quantity"/> seats to <see cref="ToOfferId"/>; <see cref="TransferLicenses"/> moves users' assigned licenses with them.</summary>
public sealed record UpgradeSubscriptionRequest(string? ToOfferId, int? Quantity, bool? TransferLicenses);
