using Microsoft.AspNetCore.Identity;
using Skyport.Features.Accounts;
using Skyport.Features.Organizations;

namespace Skyport.Data;

/// <summary>The demo installation: one broker, one reseller, one customer, an administrator each.</summary>
public static class DemoData
{
    public sealed record Login(string Role, string Organization, string Email, string Password);

    public static readonly Login Broker = new("Broker administrator", "Contoso Cloud Broker", "admin@contoso-broker.example", "Contoso!Broker1");
    public static readonly Login Reseller = new("Reseller administrator", "Fabrikam IT", "admin@fabrikam.example", "Fabrikam!Reseller1");
    public static readonly Login Customer = new("Customer administrator", "Northwind Traders", "admin@northwind.example", "Northwind!Customer1");
    public static readonly IReadOnlyList<Login> Logins = [Broker, Reseller, Customer];

    public static async Task SeedAsync(SkyportDbContext db, UserManager<AppUser> users, DateTimeOffset now, CancellationToken ct)
    {
        var broker = DatabaseInitializer.NewBroker(Broker.Organization, now);
        broker.Address = new Address { Line1 = "1 Cloud Way", City = "Seattle", State = "WA", PostalCode = "98101", Country = "US" };
        broker.Contact = new Contact { FirstName = "Avery", LastName = "Brooks", Email = "billing@contoso-broker.example", Phone = "+1 206 555 0100" };

        var resellerId = Guid.NewGuid();
        var reseller = new Organization
        {
            Id = resellerId,
            Kind = OrganizationKind.Reseller,
            ParentId = broker.Id,
            Path = Organization.ChildPath(broker.Path, resellerId),
            Name = Reseller.Organization,
            Address = new Address { Line1 = "Hauptstraße 5", City = "Berlin", PostalCode = "10115", Country = "DE" },
            Contact = new Contact { FirstName = "Frieda", LastName = "Keller", Email = "office@fabrikam.example", Phone = "+49 30 555 0100" },
            Billing = new BillingSettings(15, "EUR"),
            CreatedAt = now,
        };

        var customerId = Guid.NewGuid();
        var customer = new Organization
        {
            Id = customerId,
            Kind = OrganizationKind.Customer,
            ParentId = reseller.Id,
            Path = Organization.ChildPath(reseller.Path, customerId),
            Name = Customer.Organization,
            Address = new Address { Line1 = "Königsallee 12", Line2 = "3. Etage", City = "Düsseldorf", State = "NW", PostalCode = "40212", Country = "DE" },
            Contact = new Contact { FirstName = "Nancy", LastName = "Davolio", Email = "nancy.davolio@northwind.example", Phone = "+49 211 555 0100" },
            CreatedAt = now,
        };

        db.Organizations.AddRange(broker, reseller, customer);
        await db.SaveChangesAsync(ct);

        await CreateAsync(users, Broker, "Avery Brooks", broker.Id);
        await CreateAsync(users, Reseller, "Frieda Keller", reseller.Id);
        await CreateAsync(users, Customer, "Nancy Davolio", customer.Id);
    }

    private static async Task CreateAsync(UserManager<AppUser> users, Login login, string name, Guid organizationId)
    {
        var result = await users.CreateAsync(
            new AppUser { UserName = login.Email, Email = login.Email, EmailConfirmed = true, DisplayName = name, OrganizationId = organizationId },
            login.Password);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
