using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Accounts;
using Microsoft.Extensions.Options;
using Skyport.Features.Audit;
using Skyport.Features.Catalog;
using Skyport.Features.Email;
using Skyport.Web;

namespace Skyport.Features.Organizations;

/// <summary>
/// Creates a reseller under the broker or a customer under a reseller, optionally with its first administrator,
/// who receives a generated password by email.
/// </summary>
public sealed class CreateOrganization(
    SkyportDbContext db, UserManager<AppUser> users, MailQueue mail, AuditLog audit, TimeProvider clock, LinkGenerator links, IHttpContextAccessor http,
    IOptions<CatalogOptions> catalog)
{
    public static readonly BillingSettings DefaultBilling = new(31, "EUR");

    public async Task<Outcome<OrganizationDetails>> RunAsync(CreateOrganizationRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var kind = request.Kind?.Trim().ToLowerInvariant() switch
        {
            "reseller" => OrganizationKind.Reseller,
            "customer" => OrganizationKind.Customer,
            _ => (OrganizationKind?)null,
        };
        if (kind is null)
        {
            errors["kind"] = ["The kind must be 'reseller' or 'customer'."];
        }
        if (request.ParentId is null)
        {
            errors["parentId"] = ["Choose the parent organization."];
        }
        var companyName = request.Properties?.CompanyName ?? request.Name;
        if (string.IsNullOrWhiteSpace(request.Name) && string.IsNullOrWhiteSpace(companyName))
        {
            errors["name"] = ["Enter the organization's name."];
        }
        foreach (var (field, messages) in OrganizationRules.ValidateProperties(companyName ?? "-", request.Properties?.Address, request.Properties?.Contact))
        {
            errors[$"properties.{field}"] = messages;
        }
        if (request.Billing is not null)
        {
            if (kind == OrganizationKind.Customer)
            {
                errors["billing"] = ["Billing settings belong to resellers only."];
            }
            foreach (var (field, messages) in OrganizationRules.ValidateBilling(request.Billing.CycleEndDay, request.Billing.Currency, catalog.Value.Currency))
            {
                errors[$"billing.{field}"] = messages;
            }
        }
        if (request.Administrator is { } admin)
        {
            if (string.IsNullOrWhiteSpace(admin.Email) || !OrganizationRules.IsEmail(admin.Email.Trim()))
            {
                errors["administrator.email"] = ["Enter the administrator's email address."];
            }
            if (string.IsNullOrWhiteSpace(admin.FirstName) || admin.FirstName.Trim().Length > 90)
            {
                errors["administrator.firstName"] = ["Enter the administrator's first name (at most 90 characters)."];
            }
            if (string.IsNullOrWhiteSpace(admin.LastName) || admin.LastName.Trim().Length > 90)
            {
                errors["administrator.lastName"] = ["Enter the administrator's last name (at most 90 characters)."];
            }
        }
        if (errors.Count > 0)
        {
            return Failure.Invalid(errors);
        }

        var parent = await db.Organizations.SingleOrDefaultAsync(o => o.Id == request.ParentId, ct);
        if (parent is null)
        {
            return Failure.NotFound("The parent organization");
        }
        var expectedParent = kind == OrganizationKind.Reseller ? OrganizationKind.Broker : OrganizationKind.Reseller;
        if (parent.Kind != expectedParent)
        {
            return Failure.RuleRefused(kind == OrganizationKind.Reseller
                ? "A reseller is created under the broker."
                : "A customer is created under a reseller.");
        }
        if (request.Administrator?.Email is { } adminEmail && await users.FindByEmailAsync(adminEmail.Trim()) is not null)
        {
            return Failure.Conflict("This email address cannot be used for a new administrator: it already signs in to Skyport.");
        }

        var id = Guid.NewGuid();
        var organization = new Organization
        {
            Id = id,
            Kind = kind!.Value,
            ParentId = parent.Id,
            Path = Organization.ChildPath(parent.Path, id),
            Name = (companyName ?? request.Name)!.Trim(),
            Address = OrganizationRules.Normalize(request.Properties?.Address),
            Contact = OrganizationRules.Normalize(request.Properties?.Contact),
            Billing = kind == OrganizationKind.Reseller
                ? request.Billing is { } b ? new BillingSettings(b.CycleEndDay!.Value, b.Currency!.Trim().ToUpperInvariant()) : DefaultBilling with { Currency = catalog.Value.Currency }
                : null,
            CreatedAt = clock.GetUtcNow(),
        };

        // One transaction: the organization, its administrator and the welcome email with the password, or none of them.
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            db.Organizations.Add(organization);
            await db.SaveChangesAsync(ct);
            if (request.Administrator is { } a)
            {
                var password = GeneratePassword();
                var user = new AppUser
                {
                    UserName = a.Email!.Trim(),
                    Email = a.Email.Trim(),
                    EmailConfirmed = true,
                    DisplayName = $"{a.FirstName!.Trim()} {a.LastName!.Trim()}",
                    OrganizationId = organization.Id,
                    MustChangePassword = true,
                };
                var created = await users.CreateAsync(user, password);
                if (!created.Succeeded)
                {
                    return Failure.Invalid("administrator.email", string.Join(" ", created.Errors.Select(e => e.Description)));
                }
                mail.Add(db, WelcomeEmail(organization, a, password));
                await db.SaveChangesAsync(ct);
            }
            await transaction.CommitAsync(ct);
        }
        mail.Wake();
        await audit.RecordAsync(parent.Id, $"Create {organization.Kind.ToString().ToLowerInvariant()}", "succeeded",
            request.Administrator is null ? organization.Name : $"{organization.Name}, administrator {request.Administrator.Email!.Trim()}", ct);
        return OrganizationDetails.From(organization);
    }

    private EmailMessage WelcomeEmail(Organization organization, AdministratorRequest admin, string password)
    {
        var context = http.HttpContext;
        var signIn = context is null ? "/account/login" : links.GetUriByPage(context, "/Accounts/Login") ?? "/account/login";
        return new EmailMessage(
            admin.Email!.Trim(),
            $"Your Skyport account for {organization.Name}",
            $"""
            Hello {admin.FirstName},

            An administrator account for {organization.Name} has been created for you in Skyport.

            Sign-in name: {admin.Email.Trim()}
            Temporary password: {password}
            Sign in at: {signIn}

            Please keep this password safe.
            """);
    }

    /// <summary>16 characters with every class Identity (and Microsoft) asks for.</summary>
    public static string GeneratePassword() => Users.PasswordPolicy.Generate(null);
}
