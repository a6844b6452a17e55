namespace Skyport.Features.Organizations;

public sealed record OrganizationSummary(Guid Id, string Name, OrganizationKind Kind, Guid? ParentId);

public sealed record PropertiesDto(string CompanyName, Address Address, Contact Contact);

public sealed record BillingDto(int CycleEndDay, string Currency);

public sealed record OrganizationDetails(
    Guid Id,
    string Name,
    OrganizationKind Kind,
    Guid? ParentId,
    PropertiesDto Properties,
    BillingDto? Billing,
    DateTimeOffset CreatedAt)
{
    public static OrganizationDetails From(Organization o) => new(
        o.Id, o.Name, o.Kind, o.ParentId,
        new PropertiesDto(o.Name, o.Address, o.Contact),
        o.Billing is { } b ? new BillingDto(b.CycleEndDay, b.Currency) : null,
        o.CreatedAt);
}

public sealed record PropertiesRequest(string? CompanyName, Address? Address, Contact? Contact);

public sealed record BillingRequest(int? CycleEndDay, string? Currency);

public sealed record AdministratorRequest(string? Email, string? FirstName, string? LastName);

public sealed record CreateOrganizationRequest(
    string? Name,
    string? Kind,
    Guid? ParentId,
    PropertiesRequest? Properties,
    BillingRequest? Billing,
    AdministratorRequest? Administrator);

public sealed record Page<T>(IReadOnlyList<T> Items, int Total);
