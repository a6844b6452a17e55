using System.Text.Json;

namespace Skyport.PartnerCenter;

public static class PartnerCenterFailures
{
    /// <summary>Partner Center did not answer (after the resilience pipeline's retries): the outcome of the call is unknown.</summary>
    public static bool IsUnanswered(Exception exception) =>
        exception is HttpRequestException or TimeoutException or TaskCanceledException
            or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException;
}

/// <summary>An expected failure from Partner Center: HTTP status, Partner Center error code and description.</summary>
public sealed record PartnerCenterError(int HttpStatus, string? Code, string Description, IReadOnlyList<string> Data)
{
    public override string ToString() => $"{HttpStatus} {Code}: {Description}";
}

/// <summary>A value or an expected failure; transport failures after retries are exceptions.</summary>
public readonly record struct PartnerCenterResult<T>(T? Value, PartnerCenterError? Error)
{
    public bool IsSuccess => Error is null;
    public T Ok => Error is null ? Value! : throw new InvalidOperationException("Partner Center refused: " + Error);
    public static implicit operator PartnerCenterResult<T>(PartnerCenterError error) => new(default, error);
}

/// <summary>One page; <see cref="NextUri"/> is the documented <c>links.next.uri</c>, sent with the continuation token header.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? ContinuationToken, string? NextUri = null);

public sealed record Link(string Uri, string Method, IReadOnlyList<LinkHeader>? Headers);
public sealed record LinkHeader(string Key, string Value);
public sealed record CollectionLinks(Link? Self, Link? Next);
internal sealed record Collection<T>(int TotalCount, List<T> Items, CollectionLinks? Links, string? ContinuationToken);

public sealed record CustomerAddress(
    string FirstName, string LastName, string AddressLine1, string? AddressLine2, string City, string? State,
    string PostalCode, string Country, string? PhoneNumber = null);

public sealed record NewCustomer(string Domain, string CompanyName, string Email, CustomerAddress Address, string Culture = "en-US", string Language = "en");

public sealed record CompanyProfile(Guid TenantId, string Domain, string? CompanyName);
public sealed record BillingProfile(string? Email, string? Culture, string? Language, string? CompanyName, CustomerAddress? DefaultAddress);
public sealed record UserCredentials(string UserName, string Password);

public sealed record Customer(
    Guid Id, Guid CommerceId, CompanyProfile CompanyProfile, BillingProfile BillingProfile, string? RelationshipToPartner, UserCredentials? UserCredentials);

public sealed record ProductType(string Id, string? DisplayName);
public sealed record Product(string Id, string Title, string? Description, ProductType? ProductType);
/// <summary>The SKU's <c>dynamicAttributes</c>; <see cref="ProvisioningId"/> is the Graph skuId of its licenses.</summary>
public sealed record SkuAttributes(bool IsAddon, IReadOnlyList<string>? PrerequisiteSkus, Guid? ProvisioningId);
public sealed record Sku(string Id, string ProductId, string Title, string? Description, int MinimumQuantity, int MaximumQuantity, SkuAttributes? DynamicAttributes);
public sealed record Term(string Id, string Duration, string BillingCycle, string? Description);
public sealed record Availability(string Id, string ProductId, string SkuId, string CatalogItemId, IReadOnlyList<Term> Terms);

public sealed record CartLine(string CatalogItemId, int Quantity, string TermDuration, string BillingCycle, string? FriendlyName = null, Guid? ParentSubscriptionId = null, DateOnly? CustomTermEndDate = null);
public sealed record CartLineItem(int Id, string CatalogItemId, string? FriendlyName, int Quantity, string? CurrencyCode, string BillingCycle, string TermDuration);
public sealed record Cart(Guid Id, string Status, IReadOnlyList<CartLineItem> LineItems);
public sealed record OrderLineItem(int LineItemNumber, string OfferId, Guid SubscriptionId, Guid? ParentSubscriptionId, string? FriendlyName, int Quantity, string TermDuration, string TransactionType, DateTimeOffset? CustomTermEndDate = null);
/// <summary>A Partner Center order; its id is a short string (e.g. <c>5cf72f146967</c>), never a GUID.</summary>
public sealed record Order(string Id, Guid ReferenceCustomerId, string BillingCycle, string CurrencyCode, IReadOnlyList<OrderLineItem> LineItems, DateTimeOffset CreationDate, string Status);
public sealed record CheckoutResult(IReadOnlyList<Order> Orders);

public sealed record RefundableQuantity(int TotalQuantity);
public sealed record Subscription(
    Guid Id, string OfferId, string OfferName, string FriendlyName, int Quantity, string Status, bool AutoRenewEnabled,
    string BillingCycle, string TermDuration, DateTimeOffset CreationDate, DateTimeOffset EffectiveStartDate, DateTimeOffset CommitmentEndDate,
    DateTimeOffset? CancellationAllowedUntilDate, Guid? ParentSubscriptionId, string? OrderId, RefundableQuantity? RefundableQuantity, string? CurrencyCode,
    ScheduledNextTermInstructions? ScheduledNextTermInstructions = null, bool CancelAtTermEnd = false, ExtendedServiceTerm? ExtendedServiceTerm = null);

/// <summary>The changes to make; null leaves a value as it is.</summary>
public sealed record SubscriptionChange(int? Quantity = null, string? Status = null, bool? AutoRenewEnabled = null, string? FriendlyName = null)
{
    /// <summary>Whether Partner Center's copy shows this change made (a change answered 202 lands later).</summary>
    public bool IsMadeOn(Subscription s) =>
        (Quantity is null || s.Quantity == Quantity)
        && (Status is null || s.Status.Equals(Status, StringComparison.OrdinalIgnoreCase))
        && (AutoRenewEnabled is null || s.AutoRenewEnabled == AutoRenewEnabled)
        && (FriendlyName is null || s.FriendlyName == FriendlyName);
}

public sealed record PasswordProfile(string Password, bool ForceChangePassword = true);
public sealed record NewCustomerUser(string UserPrincipalName, string DisplayName, string? FirstName, string? LastName, string? UsageLocation, PasswordProfile PasswordProfile);
public sealed record CustomerUserChange(string? DisplayName = null, string? FirstName = null, string? LastName = null, string? UsageLocation = null, string? UserPrincipalName = null, PasswordProfile? PasswordProfile = null, string? State = null);
public sealed record CustomerUser(Guid Id, string UserPrincipalName, string? FirstName, string? LastName, string DisplayName, string? UsageLocation, string State, DateTimeOffset? SoftDeletionTime, PasswordProfile? PasswordProfile);

public sealed record ProductSku(Guid Id, string Name, string SkuPartNumber);
/// <summary>A license a user holds, named by its product (Graph SKU).</summary>
public sealed record UserLicense(ProductSku ProductSku);
public sealed record SubscribedSku(int AvailableUnits, int ActiveUnits, int ConsumedUnits, int SuspendedUnits, int TotalUnits, int WarningUnits, ProductSku ProductSku, string CapabilityStatus);
public sealed record LicenseUpdateResult(IReadOnlyList<JsonElement>? LicensesToAssign, IReadOnlyList<JsonElement>? LicenseWarnings);

/// <summary>
/// One row of Microsoft's license-based price sheet, the columns Skyport reads (get-a-price-sheet). A row is keyed by
/// product, SKU, term and billing plan; <see cref="UnitPrice"/> is the partner's price for the whole term.
/// </summary>
public sealed record PriceSheetRow(string ProductId, string SkuId, string TermDuration, string BillingPlan, string Market, string Currency, decimal UnitPrice, DateTime? EffectiveStartDate);

/// <summary>The customer's contact who accepted the Microsoft Customer Agreement, as Partner Center records it.</summary>
public sealed record AgreementContact(string FirstName, string LastName, string Email, string? PhoneNumber);
