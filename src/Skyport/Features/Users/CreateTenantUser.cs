using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Audit;
using Skyport.Features.Email;
using Skyport.Features.Organizations;
using Skyport.Features.Tenants;
using Skyport.PartnerCenter;
using Skyport.Web;

namespace Skyport.Features.Users;

/// <summary>
/// Creates a user in the customer's tenant: Partner Center first, then Skyport's copy from Partner Center's answer,
/// then the sign-in details by email. A chosen password must pass <see cref="PasswordPolicy"/>; a generated one
/// lives only in memory, in the call to Partner Center and in the email.
/// </summary>
public sealed class CreateTenantUser(
    SkyportDbContext db, TenantUsers users, PartnerCenterClient partnerCenter, IEmailSender email, AuditLog audit, TimeProvider clock,
    ILogger<CreateTenantUser> logger)
{
    public const string SignInAddress = "https://portal.office.com";

    public sealed record Created(TenantUserDto User, string? GeneratedPassword);

    public async Task<Outcome<Created>> RunAsync(Guid customerId, NewTenantUserRequest request, CancellationToken ct)
    {
        var found = await users.ServiceAsync(customerId, ct);
        if (!found.Succeeded)
        {
            return found.Failure!;
        }
        var service = found.Value!;
        var customer = await db.Organizations.AsNoTracking().SingleAsync(o => o.Id == customerId, ct);
        var checkedRequest = Check(request, service.Domain, customer.Address.Country);
        if (!checkedRequest.Succeeded)
        {
            return checkedRequest.Failure!;
        }
        var user = checkedRequest.Value!;
        if (await db.Set<TenantUser>().AnyAsync(u => u.OrganizationId == customerId && u.UserPrincipalName == user.UserPrincipalName, ct))
        {
            return DuplicateUserName(user.UserPrincipalName);
        }

        var password = user.Generate ? PasswordPolicy.Generate(user.UserPrincipalName, user.FirstName, user.LastName, user.DisplayName) : request.Password!;
        PartnerCenterResult<CustomerUser> created;
        try
        {
            created = await partnerCenter.CreateUserAsync(service.TenantId!.Value, new NewCustomerUser(
                user.UserPrincipalName, user.DisplayName, user.FirstName, user.LastName, user.UsageLocation,
                new PasswordProfile(password, ForceChangePassword: true)), Guid.NewGuid(), ct);
        }
        catch (Exception exception) when (PartnerCenterFailures.IsUnanswered(exception) && !ct.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Partner Center did not answer creating user {User}", user.UserPrincipalName);
            return Failure.UpstreamFailed("Partner Center did not answer. The user may not have been created: look for it in the list in a moment before trying again.");
        }
        if (!created.IsSuccess)
        {
            return Refused(created.Error!, user.UserPrincipalName);
        }
        var answer = created.Value!;
        var row = await StoreAsync(customerId, service.TenantId!.Value, answer, ct);
        await audit.RecordAsync(customerId, "Create user", "succeeded", answer.UserPrincipalName, ct);

        if (user.SendTo is { } to)
        {
            await email.SendAsync(new EmailMessage(to, $"Your Microsoft 365 sign-in details for {service.Domain}", $"""
                Hello {user.FirstName},

                A Microsoft 365 account has been created for you.

                Sign-in name: {answer.UserPrincipalName}
                {(user.Generate ? $"Temporary password: {password}" : "Password: the one chosen for you by your administrator")}
                Sign in at: {SignInAddress}

                You will be asked to choose a new password when you first sign in.
                """), ct);
            await audit.RecordAsync(customerId, "Email user credentials", "sent", $"{answer.UserPrincipalName} to {to}", ct);
        }
        return new Created(TenantUserDto.From(row, []), user.Generate ? password : null);
    }

    /// <summary>Stores Partner Center's answer; the sync may have brought the user in from Graph already, even meanwhile.</summary>
    private async Task<TenantUser> StoreAsync(Guid customerId, Guid tenantId, CustomerUser answer, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var round = await db.UserSyncStates.AsNoTracking().Where(s => s.OrganizationId == customerId).Select(s => (int?)s.Round).SingleOrDefaultAsync(ct);
            var row = await db.TenantUsers.SingleOrDefaultAsync(u => u.Id == answer.Id, ct);
            if (row is null)
            {
                row = new TenantUser
                {
                    Id = answer.Id,
                    OrganizationId = customerId,
                    TenantId = tenantId,
                    UserPrincipalName = answer.UserPrincipalName,
                    DisplayName = answer.DisplayName,
                    AccountEnabled = true,
                };
                db.Add(row);
            }
            row.UserPrincipalName = answer.UserPrincipalName;
            row.DisplayName = answer.DisplayName;
            row.FirstName = answer.FirstName;
            row.LastName = answer.LastName;
            row.UsageLocation = answer.UsageLocation;
            // A full resync in progress keeps this user even if it read its pages before the user existed.
            row.Round = round ?? 0;
            row.SyncedAt = clock.GetUtcNow();
            row.Refresh();
            try
            {
                await db.SaveChangesAsync(ct);
                return row;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private sealed record CheckedUser(string UserPrincipalName, string FirstName, string LastName, string DisplayName, string UsageLocation, bool Generate, string? SendTo);

    private static Outcome<CheckedUser> Check(NewTenantUserRequest request, string domain, string? country)
    {
        var errors = new Dictionary<string, string[]>();
        var first = request.FirstName?.Trim() ?? "";
        var last = request.LastName?.Trim() ?? "";
        var display = string.IsNullOrWhiteSpace(request.DisplayName) ? $"{first} {last}".Trim() : request.DisplayName.Trim();
        if (first.Length == 0)
        {
            errors["firstName"] = ["Enter the first name."];
        }
        else if (first.Length > 64)
        {
            errors["firstName"] = ["Use at most 64 characters."];
        }
        if (last.Length == 0)
        {
            errors["lastName"] = ["Enter the last name."];
        }
        else if (last.Length > 64)
        {
            errors["lastName"] = ["Use at most 64 characters."];
        }
        if (display.Length > 256)
        {
            errors["displayName"] = ["Use at most 256 characters."];
        }
        if (UserNameRules.Error(request.UserName, domain) is { } userNameError)
        {
            errors["userName"] = [userNameError];
        }
        var location = (string.IsNullOrWhiteSpace(request.UsageLocation) ? country : request.UsageLocation)?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(location))
        {
            errors["usageLocation"] = ["Enter the usage location (the country where the user works): the organization has no country to use instead. Microsoft needs it to assign licenses."];
        }
        else if (!IsoCodes.Countries.Contains(location))
        {
            errors["usageLocation"] = ["Enter a two-letter country code (ISO 3166), such as DE or US."];
        }
        var generate = request.GeneratePassword ?? true;
        var upn = UserNameRules.UserPrincipalName(request.UserName, domain);
        if (!generate)
        {
            var broken = PasswordPolicy.Check(request.Password, upn, first, last, display);
            if (broken.Count > 0)
            {
                errors["password"] = [.. broken];
            }
        }
        var sendTo = request.SendCredentialsTo?.Trim();
        if (string.IsNullOrEmpty(sendTo))
        {
            if (generate)
            {
                errors["sendCredentialsTo"] = ["Enter the email address that receives the password."];
            }
            sendTo = null;
        }
        else if (!OrganizationRules.IsEmail(sendTo))
        {
            errors["sendCredentialsTo"] = ["Enter a valid email address."];
        }
        return errors.Count > 0
            ? Failure.Invalid(errors)
            : new CheckedUser(upn, first, last, display, location!, generate, sendTo);
    }

    private static Failure DuplicateUserName(string upn)
    {
        var errors = new Dictionary<string, string[]> { ["userName"] = [$"{upn} is taken. Choose another user name."] };
        return new Failure(FailureKind.Conflict, $"The user name {upn} is taken in this tenant. Choose another.", errors)
            with { Extensions = new Dictionary<string, object?> { ["errors"] = errors } };
    }

    private static Failure Refused(PartnerCenterError error, string upn)
    {
        if (error.Description.Contains("same value for property userPrincipalName", StringComparison.OrdinalIgnoreCase))
        {
            return DuplicateUserName(upn);
        }
        if (error.Description.Contains("password complexity", StringComparison.OrdinalIgnoreCase))
        {
            return Failure.Invalid("password", "Microsoft refused this password (it may be on its list of common passwords). Choose another.");
        }
        if (error.HttpStatus is >= 500 or 429)
        {
            return Failure.UpstreamFailed($"Partner Center could not create the user ({error.Description}). Nothing was created: try again.");
        }
        return Failure.RuleRefused($"Partner Center refused the user: {error.Description}");
    }

}
