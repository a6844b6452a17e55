namespace Skyport.Features.Organizations;

public enum OrganizationKind
{
    Broker,
    Reseller,
    Customer,
}

/// <summary>A broker, reseller or customer. <see cref="Path"/> lists the ids from the broker down, so a subtree is a prefix.</summary>
public sealed class Organization
{
    public Guid Id { get; init; } = Guid.NewGuid();
    public OrganizationKind Kind { get; init; }
    public Guid? ParentId { get; init; }
    public required string Path { get; init; }
    public required string Name { get; set; }
    public Address Address { get; set; } = new();
    public Contact Contact { get; set; } = new();
    public int? CycleEndDay { get; private set; }
    public string? Currency { get; private set; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Bumped on every change, so that two concurrent edits cannot silently overwrite each other.</summary>
    public int Version { get; set; }

    public BillingSettings? Billing
    {
        get => CycleEndDay is int day && Currency is string currency ? new BillingSettings(day, currency) : null;
        set => (CycleEndDay, Currency) = (value?.CycleEndDay, value?.Currency);
    }

    public static string ChildPath(string parentPath, Guid childId) => $"{parentPath}{childId:N}/";
}

public sealed record Address
{
    public string? Line1 { get; init; }
    public string? Line2 { get; init; }
    public string? City { get; init; }
    public string? State { get; init; }
    public string? PostalCode { get; init; }
    public string? Country { get; init; }
}

public sealed record Contact
{
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
}

/// <summary>A reseller's billing settings: the day its cycle ends (1–31) and the currency it bills in.</summary>
public sealed record BillingSettings(int CycleEndDay, string Currency);
