using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
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
/// then the sign-in details by email. A chosen password must pass <see cref="PasswordPolicy"/>. The intent
/// (<see cref="TenantUserCreation"/>) is stored before Partner Center is called, with the password encrypted, so a retry
/// after a lost answer or a crash sends the same request again or adopts the user Partner Center made, and the email
/// goes out once. The password is never stored in clear nor logged.
/// </summary>
public sealed class CreateTenantUser(
    SkyportDbContext db, TenantUsers users, PartnerCenterClient partnerCenter, MailQueue mail, AuditLog audit, TimeProvider clock,
    RequestIdempotency idempotency, IDataProtectionProvider protection, ILogger<CreateTenantUser> logger)
{
    public const string SignInAddress = "https://portal.office.com";

    /// <summary>A request without an <c>Idempotency-Key</c> is taken for a retry of an unfinished one only this long after it.</summary>
    public static readonly TimeSpan RetryWindow = TimeSpan.FromHours(1);

    /// <summary>How long an intent is kept (as long as the idempotency filter keeps an answer).</summary>
    public static readonly TimeSpan IntentLifetime = Idempotency.Lifetime;

    // One create of a user name at a time in this instance; the intent's version guards the rest.
    private static readonly KeyedLock Locks = new();

    private IDataProtector Passwords => protection.CreateProtector("Skyport.Users.CreateTenantUser.Password");

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
        var run = new Run(customerId, service.TenantId!.Value, service.Domain, user);

        using var held = await Locks.AcquireAsync(LockKey(customerId, user.UserPrincipalName), ct);
        var hash = Hash(user);
        var intent = await FindIntentAsync(customerId, user.UserPrincipalName, hash, ct);
        if (intent is not null && intent.RequestHash != hash)
        {
            return Failure.RuleRefused("This Idempotency-Key was already used for a different request. Use a new key for a new request.");
        }
        if (intent is { CompletedAt: not null })
        {
            var made = await db.TenantUsers.AsNoTracking().SingleOrDefaultAsync(u => u.Id == intent.UserId, ct);
            return made is null
                ? Failure.Conflict($"The user {user.UserPrincipalName} made by the first request with this Idempotency-Key has been deleted since. Use a new key to create it again.")
                : new Created(TenantUserDto.From(made, []), null);
        }
        var retry = intent is not null;
        if (intent is null)
        {
            if (await db.TenantUsers.AnyAsync(u => u.OrganizationId == customerId && u.UserPrincipalName == user.UserPrincipalName, ct))
            {
                return DuplicateUserName(user.UserPrincipalName);
            }
            var password = user.Generate ? PasswordPolicy.Generate(user.UserPrincipalName, user.FirstName, user.LastName, user.DisplayName) : request.Password!;
            intent = await RecordIntentAsync(customerId, user.UserPrincipalName, hash, password);
            if (intent is null)
            {
                return Failure.Conflict("The first request with this Idempotency-Key is still in progress. Try again shortly.");
            }
        }
        run.Password = Passwords.Unprotect(intent.ProtectedPassword!);

        CustomerUser answer;
        try
        {
            var made = intent.UserId is { } userId ? await GetAsync(run, userId, ct) : await FindOrCreateAsync(run, intent, retry, ct);
            if (!made.Succeeded)
            {
                return made.Failure!;
            }
            answer = made.Value!;
        }
        catch (Exception exception) when (PartnerCenterFailures.IsUnanswered(exception) && !ct.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Partner Center did not answer creating user {User}", user.UserPrincipalName);
            return Failure.UpstreamFailed("Partner Center did not answer. Nothing is lost: send the same request again (with the same Idempotency-Key) and Skyport finishes it without making the user twice.");
        }
        if (intent.UserId is null)
        {
            intent.UserId = answer.Id;
            await SaveAsync(intent);
        }
        var row = await StoreAsync(customerId, run.TenantId, answer, CancellationToken.None);
        await audit.RecordAsync(customerId, "Create user", retry ? "succeeded on retry" : "succeeded", answer.UserPrincipalName, CancellationToken.None);
        await SendCredentialsOnceAsync(run, intent, answer);
        intent.CompletedAt = clock.GetUtcNow();
        intent.ProtectedPassword = null;
        await SaveAsync(intent);
        return new Created(TenantUserDto.From(row, []), user.Generate ? run.Password : null);
    }

    /// <summary>The unfinished (or, under the same key, finished) intent this request continues; null for a new request.</summary>
    private async Task<TenantUserCreation?> FindIntentAsync(Guid customerId, string upn, string hash, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var expired = now - IntentLifetime;
        await db.TenantUserCreations.Where(c => c.OrganizationId == customerId && c.CreatedAt < expired).ExecuteDeleteAsync(ct);
        if (idempotency is { CallerId: { } callerId, Key: { } key })
        {
            var keyed = await db.TenantUserCreations.SingleOrDefaultAsync(
                c => c.CallerId == callerId && c.IdempotencyKey == key && c.UserPrincipalName == upn, ct);
            if (keyed is not null)
            {
                return keyed;
            }
        }
        // Without the key (or under a new one): the same request again, while the first is unfinished and recent.
        var recent = now - RetryWindow;
        return await db.TenantUserCreations
            .Where(c => c.OrganizationId == customerId && c.UserPrincipalName == upn && c.RequestHash == hash && c.CompletedAt == null && c.CreatedAt > recent)
            .OrderByDescending(c => c.CreatedAt)
            .FirstOrDefaultAsync(ct);
    }

    /// <summary>Stored before the call; null when a concurrent request under the same key stored its own first.</summary>
    private async Task<TenantUserCreation?> RecordIntentAsync(Guid customerId, string upn, string hash, string password)
    {
        var intent = new TenantUserCreation
        {
            Id = Guid.NewGuid(),
            OrganizationId = customerId,
            UserPrincipalName = upn,
            CallerId = idempotency.CallerId,
            IdempotencyKey = idempotency.Key,
            RequestHash = hash,
            RequestId = Guid.NewGuid(),
            ProtectedPassword = Passwords.Protect(password),
            CreatedAt = clock.GetUtcNow(),
        };
        db.TenantUserCreations.Add(intent);
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
            return intent;
        }
        catch (DbUpdateException)
        {
            db.Entry(intent).State = EntityState.Detached;
            return null;
        }
    }

    private async Task<Outcome<CustomerUser>> GetAsync(Run run, Guid userId, CancellationToken ct)
    {
        var got = await partnerCenter.GetUserAsync(run.TenantId, userId, ct);
        return got.IsSuccess ? got.Value! : Refused(got.Error!, run.User.UserPrincipalName);
    }

    /// <summary>
    /// On a retry the user is looked up first: an earlier attempt may have made it and lost the answer. Then the create,
    /// with the intent's <c>MS-RequestId</c> and the same body, which Partner Center answers once.
    /// </summary>
    private async Task<Outcome<CustomerUser>> FindOrCreateAsync(Run run, TenantUserCreation intent, bool retry, CancellationToken ct)
    {
        var user = run.User;
        if (retry)
        {
            var listed = await partnerCenter.ListUsersAsync(run.TenantId, ct: ct);
            if (!listed.IsSuccess)
            {
                return Refused(listed.Error!, user.UserPrincipalName);
            }
            if (listed.Value!.FirstOrDefault(u => u.UserPrincipalName.Equals(user.UserPrincipalName, StringComparison.OrdinalIgnoreCase)) is { } existing)
            {
                // The intent says Skyport sent this create; a user of that name and those details is its result.
                return existing.DisplayName == user.DisplayName ? existing : DuplicateUserName(user.UserPrincipalName);
            }
        }
        var created = await partnerCenter.CreateUserAsync(run.TenantId, new NewCustomerUser(
            user.UserPrincipalName, user.DisplayName, user.FirstName, user.LastName, user.UsageLocation,
            new PasswordProfile(run.Password!, ForceChangePassword: true)), intent.RequestId, ct);
        if (created.IsSuccess)
        {
            return created.Value!;
        }
        if (created.Error!.HttpStatus is < 500 and not 429)
        {
            // A refusal made nothing: the next request is a new one, with a new password and request id.
            db.TenantUserCreations.Remove(intent);
            await db.SaveChangesAsync(CancellationToken.None);
        }
        return Refused(created.Error!, user.UserPrincipalName);
    }

    private async Task SendCredentialsOnceAsync(Run run, TenantUserCreation intent, CustomerUser answer)
    {
        var user = run.User;
        if (user.SendTo is not { } to || intent.EmailQueuedAt is not null)
        {
            return;
        }
        // One transaction: the email and the record that it was written (a concurrent run fails on the version).
        mail.Add(db, new EmailMessage(to, $"Your Microsoft 365 sign-in details for {run.Domain}", $"""
            Hello {user.FirstName},

            A Microsoft 365 account has been created for you.

            Sign-in name: {answer.UserPrincipalName}
            {(user.Generate ? $"Temporary password: {run.Password}" : "Password: the one chosen for you by your administrator")}
            Sign in at: {SignInAddress}

            You will be asked to choose a new password when you first sign in.
            """));
        intent.EmailQueuedAt = clock.GetUtcNow();
        await SaveAsync(intent);
        await audit.RecordAsync(run.CustomerId, "Email user credentials", "queued", $"{answer.UserPrincipalName} to {to}", CancellationToken.None);
    }

    // Once Partner Center has acted, what Skyport learnt is saved even if the caller has gone.
    private async Task SaveAsync(TenantUserCreation intent)
    {
        intent.Version++;
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private static Guid LockKey(Guid customerId, string upn) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"{customerId}/{upn}"))[..16]);

    private static string Hash(CheckedUser user) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n',
        user.UserPrincipalName, user.FirstName, user.LastName, user.DisplayName, user.UsageLocation, user.Generate, user.SendTo ?? ""))));

    private sealed class Run(Guid customerId, Guid tenantId, string domain, CheckedUser user)
    {
        public Guid CustomerId { get; } = customerId;
        public Guid TenantId { get; } = tenantId;
        public string Domain { get; } = domain;
        public CheckedUser User { get; } = user;
        public string? Password { get; set; }
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

    /// <summary>409 naming the field and the userPrincipalName Microsoft refused (Graph: ObjectConflict on userPrincipalName).</summary>
    private static Failure DuplicateUserName(string upn)
    {
        var errors = new Dictionary<string, string[]> { ["userName"] = [$"{upn} is taken. Choose another user name."] };
        return new Failure(FailureKind.Conflict, $"The user name (userPrincipalName) {upn} is taken in this tenant. Choose another.", errors)
            with { Extensions = new Dictionary<string, object?> { ["errors"] = errors, ["userPrincipalName"] = upn } };
    }

    private static Failure Refused(PartnerCenterError error, string upn)
    {
        if (error.Description.Contains("same value for property userPrincipalName", StringComparison.OrdinalIgnoreCase)
            || error.Data.Any(d => d.Contains("ObjectConflict", StringComparison.OrdinalIgnoreCase)))
        {
            return DuplicateUserName(upn);
        }
        if (error.Description.Contains("password complexity", StringComparison.OrdinalIgnoreCase))
        {
            return Failure.Invalid("password", "Microsoft refused this password (it may be on its list of common passwords). Choose another.");
        }
        if (error.HttpStatus is >= 500 or 429)
        {
            return Failure.UpstreamFailed($"Partner Center could not create the user ({error.Description}). Try again: Skyport does not make the user twice.");
        }
        return Failure.RuleRefused($"Partner Center refused the user: {error.Description}");
    }

}
