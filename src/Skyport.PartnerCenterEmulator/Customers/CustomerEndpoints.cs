using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Skyport.PartnerCenterEmulator.Core;
using Skyport.PartnerCenterEmulator.Users;
using Skyport.PartnerCenterEmulator.Webhooks;

namespace Skyport.PartnerCenterEmulator.Customers;

/// <summary>Customers (each one a Microsoft Entra tenant), domain availability and the reseller relationship link.</summary>
public static class CustomerEndpoints
{
    /// <summary>Countries where Partner Center requires a phone number and an organization registration number.</summary>
    private static readonly HashSet<string> RegistrationCountries = ["AM", "AZ", "BY", "HU", "KZ", "KG", "MD", "RU", "TJ", "UZ", "UA"];

    public static void Map(IEndpointRouteBuilder v1)
    {
        v1.MapMethods("/domains/{domain}", ["HEAD"], async (string domain, EmulatorDb db, HttpContext http) =>
        {
            var lower = domain.ToLowerInvariant();
            http.Response.ContentLength = 0;
            return await db.Tenants.AnyAsync(t => t.Domain == lower) ? Results.Ok() : Results.NotFound();
        });

        v1.MapGet("/customers/relationshiprequests", (EmulatorOptions options) => Pc.Ok(new
        {
            url = $"https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId={options.PartnerTenantId}&msppId=0&DAP=false#/BillingAccounts/partner-invitation",
            attributes = Pc.Attributes("RelationshipRequest"),
        })).RequireAppUser(); // request-reseller-relationship

        v1.MapPost("/customers", CreateAsync);

        v1.MapGet("/customers", async (HttpContext http, EmulatorDb db) =>
        {
            var (size, after, error) = Pc.Paging(http, 200);
            if (error is not null) return error;
            var query = db.Tenants.Where(t => !t.IsPartner && t.RelationshipToPartner != "none" && t.Seq > after);
            var filterText = http.Request.Query["filter"].ToString();
            if (filterText.Length > 0)
            {
                var filter = ParseFilter(filterText);
                if (filter is null) return Errors.PcInvalid("The filter is not valid. Use {\"Field\":\"Domain\"|\"CompanyName\",\"Value\":\"...\",\"Operator\":\"starts_with\"}.", "filter");
                var value = filter.Value.Value.ToLowerInvariant();
                query = filter.Value.Field == "domain"
                    ? query.Where(t => t.Domain.StartsWith(value))
                    : query.Where(t => t.CompanyName.ToLower().StartsWith(value));
            }
            var page = await query.OrderBy(t => t.Seq).Take(size + 1).ToListAsync();
            var more = page.Count > size;
            page = page.Take(size).ToList();
            var self = $"/customers?size={size}";
            return Pc.Ok(more
                ? Pc.Collection(page.Select(t => CustomerJson(t, null)).ToList(), self, self + "&seekOperation=Next" + (filterText.Length > 0 ? "&filter=" + Uri.EscapeDataString(filterText) : ""), Pc.Token(page[^1].Seq))
                : Pc.Collection(page.Select(t => CustomerJson(t, null)).ToList(), self));
        });

        v1.MapGet("/customers/{customerId}", async (string customerId, EmulatorDb db) =>
            await FindAsync(db, customerId) is { } t ? Pc.Ok(CustomerJson(t, null, includeDelegatedAccess: true)) : NotFound(customerId));

        v1.MapGet("/customers/{customerId}/profiles/billing", async (string customerId, EmulatorDb db) =>
            await FindAsync(db, customerId) is { } t ? Pc.Ok(BillingProfileJson(t.BillingProfile!)) : NotFound(customerId));

        v1.MapGet("/customers/{customerId}/profiles/company", async (string customerId, EmulatorDb db) =>
            await FindAsync(db, customerId) is { } t ? Pc.Ok(CompanyProfileJson(t)) : NotFound(customerId)).RequireAppUser(); // get-a-customer-s-company-profile (2021)
    }

    public static IResult NotFound(string id) => Errors.Pc(404, 60003, "Tenant not found", $"Tenant {id} was not found.");

    public static async Task<Tenant?> FindAsync(EmulatorDb db, string customerId) =>
        Guid.TryParse(customerId, out var id) ? await db.Tenants.FirstOrDefaultAsync(t => t.Id == id && !t.IsPartner && t.RelationshipToPartner != "none") : null;

    private static async Task<IResult> CreateAsync(HttpContext http, EmulatorDb db, EmulatorClock clock, WebhookDispatcher webhooks)
    {
        var (body, error) = await Pc.BodyAsync(http);
        if (error is not null) return error;
        var company = body!.Object("companyProfile", required: true);
        var billing = body.Object("billingProfile", required: true);
        var domain = company?.String("domain", required: true)?.Trim().ToLowerInvariant();
        var registrationNumber = company?.String("organizationRegistrationNumber");
        body.Absorb(company, "companyProfile");
        var address = billing?.Object("defaultAddress", required: true);
        var email = billing?.String("email", required: true);
        var culture = billing?.String("culture", required: true);
        var language = billing?.String("language", required: true);
        var companyName = billing?.String("companyName", required: true);
        var firstName = address?.String("firstName", required: true);
        var lastName = address?.String("lastName", required: true);
        var line1 = address?.String("addressLine1", required: true);
        var line2 = address?.String("addressLine2");
        var city = address?.String("city", required: true);
        var state = address?.String("state");
        var postalCode = address?.String("postalCode", required: true);
        var country = address?.String("country", required: true)?.ToUpperInvariant();
        var phone = address?.String("phoneNumber");
        billing?.Absorb(address, "defaultAddress");
        body.Absorb(billing, "billingProfile");
        if (Pc.Invalid(body) is { } invalid) return invalid;
        if (!IsValidDomain(domain!)) return Errors.PcInvalid("Invalid property: companyProfile.domain must be a domain name such as contoso.onmicrosoft.com.", "companyProfile.domain");
        if (country!.Length != 2) return Errors.PcInvalid("Invalid property: billingProfile.defaultAddress.country must be a two-letter ISO country code.", "billingProfile.defaultAddress.country");
        if (!email!.Contains('@')) return Errors.PcInvalid("Invalid property: billingProfile.email is not an email address.", "billingProfile.email");
        if (RegistrationCountries.Contains(country))
        {
            if (string.IsNullOrWhiteSpace(phone)) return Errors.Pc(400, 600051, "Customer phone number is missing.");
            if (string.IsNullOrWhiteSpace(registrationNumber)) return Errors.Pc(400, 600049, "organizationRegistrationNumber is missing.");
        }
        if (await db.Tenants.AnyAsync(t => t.Domain == domain))
        {
            return Errors.Pc(409, 1003, $"The domain {domain} is already in use by another tenant.", domain!);
        }

        var now = clock.UtcNow;
        var id = Guid.NewGuid();
        var tenant = new Tenant
        {
            Id = id,
            Seq = await db.NextSequenceAsync("tenant"),
            CommerceId = Guid.NewGuid(),
            Domain = domain!,
            CompanyName = companyName!,
            RelationshipToPartner = "reseller",
            CreatedAt = now,
            BillingProfile = new BillingProfile(Guid.NewGuid(), firstName, lastName, email, Culture(culture!), language!.ToLowerInvariant(), companyName!,
                new Address(firstName, lastName, line1, line2, city, state, postalCode, country, phone ?? ""), now.Ticks.ToString()),
        };
        db.Tenants.Add(tenant);
        var password = PasswordPolicy.Generate(Random.Shared);
        await TenantDirectory.AddUserAsync(db, tenant, new DirectoryUser
        {
            UserPrincipalName = "admin@" + domain,
            DisplayName = $"{firstName} {lastName}",
            GivenName = firstName,
            Surname = lastName,
            UsageLocation = country,
            Password = password,
            ForceChangePassword = true,
        }, now);
        await db.SaveChangesAsync();
        webhooks.Raise("customer-created", "customer", $"/v1/customers/{id}", now);
        return Pc.Ok(CustomerJson(tenant, password), 201);
    }

    private static string Culture(string culture)
    {
        var parts = culture.Split('-');
        return parts.Length == 2 ? parts[0].ToLowerInvariant() + "-" + parts[1].ToUpperInvariant() : culture;
    }

    private static bool IsValidDomain(string domain) =>
        domain.Length is > 3 and <= 64 && domain.Contains('.') && !domain.StartsWith('.') && !domain.EndsWith('.')
        && domain.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-');

    private static (string Field, string Value)? ParseFilter(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var body = JsonBody.Of(doc.RootElement.Clone());
            var field = body.String("field")?.ToLowerInvariant();
            var value = body.String("value");
            var op = body.String("operator")?.ToLowerInvariant();
            if (body.HasErrors || value is null || op != "starts_with" || field is not ("domain" or "companyname")) return null;
            return (field, value);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    public static object CompanyProfileJson(Tenant t) => new
    {
        tenantId = t.Id,
        domain = t.Domain,
        companyName = t.CompanyName,
        links = new { self = Pc.Link($"/customers/{t.Id}/profiles/company") },
        attributes = Pc.Attributes("CustomerCompanyProfile"),
    };

    public static object BillingProfileJson(BillingProfile b) => new
    {
        id = b.Id,
        firstName = b.FirstName,
        lastName = b.LastName,
        email = b.Email,
        culture = b.Culture,
        language = b.Language,
        companyName = b.CompanyName,
        defaultAddress = new
        {
            country = b.DefaultAddress.Country,
            city = b.DefaultAddress.City,
            state = b.DefaultAddress.State,
            addressLine1 = b.DefaultAddress.AddressLine1,
            addressLine2 = b.DefaultAddress.AddressLine2,
            postalCode = b.DefaultAddress.PostalCode,
            firstName = b.DefaultAddress.FirstName,
            lastName = b.DefaultAddress.LastName,
            phoneNumber = b.DefaultAddress.PhoneNumber ?? "",
        },
        attributes = new { etag = b.Etag, objectType = "CustomerBillingProfile" },
    };

    public static object CustomerJson(Tenant t, string? password, bool includeDelegatedAccess = false)
    {
        var json = new Dictionary<string, object?>
        {
            ["id"] = t.Id,
            ["commerceId"] = t.CommerceId,
            ["companyProfile"] = CompanyProfileJson(t),
            ["billingProfile"] = BillingProfileJson(t.BillingProfile!),
            ["relationshipToPartner"] = t.RelationshipToPartner,
        };
        if (includeDelegatedAccess) json["allowDelegatedAccess"] = true;
        if (password is not null) json["userCredentials"] = new { userName = "admin", password };
        json["customDomains"] = Array.Empty<string>();
        json["links"] = new { self = Pc.Link($"/customers/{t.Id}") };
        json["attributes"] = Pc.Attributes("Customer");
        return json;
    }
}
