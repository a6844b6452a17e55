using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Audit;
using Skyport.Features.Email;
using Skyport.Features.Organizations;
using Skyport.Features.Users;
using Skyport.Web;
using Skyport.Web.Jobs;

namespace Skyport.Features.Directory;

/// <summary>Lists and adds people in the broker's directory of one customer.</summary>
public sealed class DirectoryPeople(SkyportDbContext db, TimeProvider clock)
{
    public async Task<IReadOnlyList<DirectoryPersonDto>> ListAsync(Guid customerId, CancellationToken ct) =>
        [.. (await db.DirectoryPeople.AsNoTracking().Where(p => p.OrganizationId == customerId)
            .OrderBy(p => p.LastName).ThenBy(p => p.FirstName).ThenBy(p => p.Id).ToListAsync(ct)).Select(DirectoryPersonDto.From)];

    public async Task<Outcome<DirectoryPersonDto>> AddAsync(Guid customerId, NewDirectoryPersonRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var first = request.FirstName?.Trim() ?? "";
        var last = request.LastName?.Trim() ?? "";
        var email = request.Email?.Trim() ?? "";
        if (first.Length is 0 or > 64)
        {
            errors["firstName"] = [first.Length == 0 ? "Enter the first name." : "Use at most 64 characters."];
        }
        if (last.Length is 0 or > 64)
        {
            errors["lastName"] = [last.Length == 0 ? "Enter the last name." : "Use at most 64 characters."];
        }
        if (email.Length == 0 || email.Length > 254 || !OrganizationRules.IsEmail(email))
        {
            errors["email"] = [email.Length == 0 ? "Enter the email address." : "Enter a valid email address."];
        }
        if (request.Phone?.Trim().Length > 40)
        {
            errors["phone"] = ["Use at most 40 characters."];
        }
        if (request.JobTitle?.Trim().Length > 128)
        {
            errors["jobTitle"] = ["Use at most 128 characters."];
        }
        if (errors.Count > 0)
        {
            return Failure.Invalid(errors);
        }
        if (await ExistsAsync(customerId, email, ct))
        {
            return Failure.Conflict($"{email} is in the directory already.");
        }
        var person = new DirectoryPerson
        {
            OrganizationId = customerId,
            FirstName = first,
            LastName = last,
            Email = email,
            Phone = string.IsNullOrWhiteSpace(request.Phone) ? null : request.Phone.Trim(),
            JobTitle = string.IsNullOrWhiteSpace(request.JobTitle) ? null : request.JobTitle.Trim(),
            CreatedAt = clock.GetUtcNow(),
        };
        db.DirectoryPeople.Add(person);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return Failure.Conflict($"{email} is in the directory already.");
        }
        return DirectoryPersonDto.From(person);
    }

    public Task<bool> ExistsAsync(Guid customerId, string email, CancellationToken ct)
    {
        var lower = email.ToLowerInvariant();
        return db.DirectoryPeople.AnyAsync(p => p.OrganizationId == customerId && p.Email.ToLower() == lower, ct);
    }

    /// <summary>The audit line of an import or export.</summary>
    public static string Summary(IReadOnlyList<PersonResult> results) =>
        $"{results.Count(r => r.Status == "created")} created, {results.Count(r => r.Status == "exists")} existing, {results.Count(r => !r.Ok)} failed";

    public static Failure? CheckBatch(int count, string? sendTo, string idsField)
    {
        var errors = new Dictionary<string, string[]>();
        if (count == 0)
        {
            errors[idsField] = ["Pick at least one person."];
        }
        else if (count > Paging.MaxSize)
        {
            errors[idsField] = [$"Pick at most {Paging.MaxSize} people at a time."];
        }
        if (string.IsNullOrWhiteSpace(sendTo))
        {
            errors["sendPasswordTo"] = ["Enter the email address that receives the passwords."];
        }
        else if (!OrganizationRules.IsEmail(sendTo.Trim()))
        {
            errors["sendPasswordTo"] = ["Enter a valid email address."];
        }
        return errors.Count > 0 ? Failure.Invalid(errors) : null;
    }
}

/// <summary>Makes directory people users of the customer's tenant, each with a generated password mailed to one address.</summary>
public sealed class ImportUsers(SkyportDbContext db, TenantUsers users, CreateTenantUser create, AuditLog audit, BulkJobs jobs)
{
    /// <summary>Checks the request and queues the import as a job.</summary>
    public async Task<Outcome<BulkJobDto>> QueueAsync(Guid customerId, ImportUsersRequest request, CancellationToken ct)
    {
        if (await jobs.QueuedByThisRequestAsync(customerId, ct) is { } queued)
        {
            return queued;
        }
        var ids = request.DirectoryUserIds?.Distinct().ToList() ?? [];
        if (DirectoryPeople.CheckBatch(ids.Count, request.SendPasswordTo, "directoryUserIds") is { } invalid)
        {
            return invalid;
        }
        var service = await users.ServiceAsync(customerId, ct);
        if (!service.Succeeded)
        {
            return service.Failure!;
        }
        return (await jobs.QueueAsync(customerId, BulkJobKind.DirectoryImport, new ImportUsersRequest(ids, request.SendPasswordTo!.Trim()), ids.Count, ct))!;
    }

    /// <summary>Imports these people (a batch of a job): one result each, in their order.</summary>
    public async Task<IReadOnlyList<PersonResult>> ImportAsync(Guid customerId, IReadOnlyList<Guid> ids, string sendTo, CancellationToken ct)
    {
        var service = await users.ServiceAsync(customerId, ct);
        if (!service.Succeeded)
        {
            return [.. ids.Select(id => new PersonResult(id, false, "failed", "", Error: service.Failure!.Detail))];
        }
        var domain = service.Value!.Domain;
        var people = await db.DirectoryPeople.AsNoTracking().Where(p => p.OrganizationId == customerId && ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var results = new List<PersonResult>();
        foreach (var id in ids)
        {
            if (!people.TryGetValue(id, out var person))
            {
                results.Add(new PersonResult(id, false, "failed", "", Error: "Not in this customer's directory."));
                continue;
            }
            var name = $"{person.FirstName} {person.LastName}";
            var userName = UserName(person.Email);
            var upn = UserNameRules.UserPrincipalName(userName, domain);
            var existing = await db.TenantUsers.AsNoTracking()
                .FirstOrDefaultAsync(u => u.OrganizationId == customerId && (u.UserPrincipalName == upn || u.Id == person.TenantUserId), ct);
            if (existing is not null)
            {
                if (person.TenantUserId is null)
                {
                    await LinkAsync(person.Id, existing.Id, ct);
                }
                results.Add(new PersonResult(id, true, "exists", name, existing.Id, existing.UserPrincipalName));
                continue;
            }
            var created = await create.RunAsync(customerId, new NewTenantUserRequest(
                person.FirstName, person.LastName, null, userName, null, GeneratePassword: true, null, sendTo), ct);
            if (created.Succeeded)
            {
                await LinkAsync(person.Id, created.Value!.User.Id, ct);
                results.Add(new PersonResult(id, true, "created", name, created.Value.User.Id, created.Value.User.UserPrincipalName));
            }
            else if (created.Failure!.Kind == FailureKind.Conflict)
            {
                results.Add(new PersonResult(id, true, "exists", name, UserPrincipalName: upn));
            }
            else
            {
                var reason = created.Failure.Errors is { } errors ? string.Join(" ", errors.SelectMany(e => e.Value)) : created.Failure.Detail;
                results.Add(new PersonResult(id, false, "failed", name, UserPrincipalName: upn, Error: reason));
            }
        }
        return results;
    }

    public Task RecordAsync(Guid customerId, IReadOnlyList<PersonResult> results, CancellationToken ct) =>
        audit.RecordOnceAsync(customerId, "Import users", "done", DirectoryPeople.Summary(results), ct);

    // Not through the tracked entity: creating the user may clear the shared context's tracker on a retry.
    private Task LinkAsync(Guid personId, Guid userId, CancellationToken ct) =>
        db.DirectoryPeople.Where(p => p.Id == personId).ExecuteUpdateAsync(p => p.SetProperty(x => x.TenantUserId, userId), ct);

    /// <summary>The user name made from the person's email: its local part, with characters Microsoft refuses left out.</summary>
    public static string UserName(string email)
    {
        var local = new string([.. email.Split('@')[0].ToLowerInvariant().Where(c => char.IsAsciiLetterOrDigit(c) || "'.-_!#^~".Contains(c))]).Trim('.');
        while (local.Contains(".."))
        {
            local = local.Replace("..", ".");
        }
        return local.Length > UserNameRules.MaxLocalLength ? local[..UserNameRules.MaxLocalLength].TrimEnd('.') : local;
    }
}

/// <summary>Copies tenant users into the directory, each with a directory password mailed to one address.</summary>
public sealed class ExportUsers(SkyportDbContext db, MailQueue mail, AuditLog audit, TimeProvider clock, BulkJobs jobs)
{
    private static readonly PasswordHasher<DirectoryPerson> Hasher = new();

    /// <summary>Checks the request and queues the export as a job.</summary>
    public async Task<Outcome<BulkJobDto>> QueueAsync(Guid customerId, ExportUsersRequest request, CancellationToken ct)
    {
        if (await jobs.QueuedByThisRequestAsync(customerId, ct) is { } queued)
        {
            return queued;
        }
        var ids = request.UserIds?.Distinct().ToList() ?? [];
        if (DirectoryPeople.CheckBatch(ids.Count, request.SendPasswordTo, "userIds") is { } invalid)
        {
            return invalid;
        }
        return (await jobs.QueueAsync(customerId, BulkJobKind.DirectoryExport, new ExportUsersRequest(ids, request.SendPasswordTo!.Trim()), ids.Count, ct))!;
    }

    /// <summary>Exports these users (a batch of a job): one result each, in their order.</summary>
    public async Task<IReadOnlyList<PersonResult>> ExportAsync(Guid customerId, IReadOnlyList<Guid> ids, string sendTo, CancellationToken ct)
    {
        var tenantUsers = await db.TenantUsers.AsNoTracking().Where(u => u.OrganizationId == customerId && ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, ct);
        var results = new List<PersonResult>();
        foreach (var id in ids)
        {
            if (!tenantUsers.TryGetValue(id, out var user))
            {
                results.Add(new PersonResult(id, false, "failed", "", Error: "Not a user of this customer's tenant."));
                continue;
            }
            var upn = user.UserPrincipalName.ToLowerInvariant();
            var existing = await db.DirectoryPeople.AsNoTracking()
                .FirstOrDefaultAsync(p => p.OrganizationId == customerId && (p.TenantUserId == id || p.Email.ToLower() == upn), ct);
            if (existing is not null)
            {
                results.Add(new PersonResult(id, true, "exists", user.DisplayName, existing.Id, user.UserPrincipalName));
                continue;
            }
            var (first, last) = Names(user);
            var person = new DirectoryPerson
            {
                OrganizationId = customerId,
                FirstName = first,
                LastName = last,
                Email = user.UserPrincipalName,
                TenantUserId = user.Id,
                CreatedAt = clock.GetUtcNow(),
            };
            var password = PasswordPolicy.Generate(user.UserPrincipalName, first, last, user.DisplayName);
            person.PasswordHash = Hasher.HashPassword(person, password);
            db.DirectoryPeople.Add(person);
            mail.Add(db, new EmailMessage(sendTo, $"Directory password for {user.DisplayName}", $"""
                Hello,

                {user.DisplayName} has been added to the directory of the broker's portal.

                Directory user name: {person.Email}
                Directory password: {password}
                """));
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear();
                results.Add(new PersonResult(id, true, "exists", user.DisplayName, UserPrincipalName: user.UserPrincipalName));
                continue;
            }
            results.Add(new PersonResult(id, true, "created", user.DisplayName, person.Id, user.UserPrincipalName));
        }
        return results;
    }

    public Task RecordAsync(Guid customerId, IReadOnlyList<PersonResult> results, CancellationToken ct) =>
        audit.RecordOnceAsync(customerId, "Export users", "done", DirectoryPeople.Summary(results), ct);

    public static bool VerifyPassword(DirectoryPerson person, string password) =>
        person.PasswordHash is { } hash && Hasher.VerifyHashedPassword(person, hash, password) != PasswordVerificationResult.Failed;

    private static (string First, string Last) Names(TenantUser user)
    {
        var parts = user.DisplayName.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var first = user.FirstName ?? (parts.Length > 0 ? parts[0] : user.UserPrincipalName.Split('@')[0]);
        var last = user.LastName ?? (parts.Length > 1 ? parts[1] : "");
        return (Truncate(first), Truncate(last));
    }

    private static string Truncate(string value) => value.Length > 64 ? value[..64] : value;
}
