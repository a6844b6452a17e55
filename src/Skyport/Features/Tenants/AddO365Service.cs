using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Audit;
using Skyport.Features.Email;
using Skyport.Features.Organizations;
using Skyport.PartnerCenter;
using Skyport.Web;

namespace Skyport.Features.Tenants;

/// <summary>
/// Adds the O365 CSP Direct service to a customer: checks the properties and the domain, creates the Microsoft
/// tenant and its admin user in Partner Center and emails the admin's credentials. The intent is stored before
/// Partner Center is called and every step is saved as it completes, so a retry (double click, browser or API
/// retry, crash, timeout) continues where the last attempt stopped and never creates a second tenant or writes a
/// second email. The generated password lives only in memory, in the call to Partner Center and in the email, which is
/// stored encrypted in the same transaction that records the step and erased once delivered (<see cref="MailQueue"/>).
/// </summary>
public sealed class AddO365Service(
    SkyportDbContext db,
    PartnerCenterClient partnerCenter,
    DelegatedAdmin gdap,
    MailQueue mail,
    AuditLog audit,
    TimeProvider clock,
    ILogger<AddO365Service> logger)
{
    public const string SignInAddress = "https://portal.office.com";
    private const string Action = "Add O365 CSP Direct";

    // One onboarding at a time per customer in this instance; the unique row and its version guard the rest.
    private static readonly KeyedLock Locks = new();

    /// <summary>The customer's service if added (or being added); null when not.</summary>
    public async Task<O365Service?> FindAsync(Guid customerId, CancellationToken ct) =>
        await db.O365Services.AsNoTracking().SingleOrDefaultAsync(s => s.OrganizationId == customerId, ct);

    public async Task<Outcome<O365ServiceDto>> RunAsync(Guid customerId, AddO365Request request, CancellationToken ct)
    {
        var customer = await db.Organizations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == customerId, ct);
        if (customer is null || customer.Kind != OrganizationKind.Customer)
        {
            return Failure.NotFound("The customer");
        }
        var contact = OrganizationRules.Normalize(request.Contact ?? customer.Contact);
        if (Check(customer, request.DomainPrefix, contact) is { } refused)
        {
            await audit.RecordAsync(customerId, Action, "refused", refused.Detail, ct);
            return refused;
        }
        var prefix = request.DomainPrefix!.Trim().ToLowerInvariant();
        var domain = OnboardingRules.Domain(prefix);

        using var held = await Locks.AcquireAsync(customerId, ct);
        var service = await db.O365Services.SingleOrDefaultAsync(s => s.OrganizationId == customerId, ct);
        // The contact accepts once; a retry of an onboarding that recorded the acceptance need not say it again.
        if (request.MicrosoftCustomerAgreement?.Accepted != true && service?.AgreementAcceptedAt is null)
        {
            var notAccepted = AgreementNotAccepted();
            await audit.RecordAsync(customerId, Action, "refused", notAccepted.Detail, ct);
            return notAccepted;
        }
        if (service is { Status: O365Status.Active })
        {
            return service.Domain == domain
                ? O365ServiceDto.From(service)
                : Failure.Conflict($"{customer.Name} already has the O365 CSP Direct service, with the domain {service.Domain}.");
        }
        if (service is not null && service.Domain != domain)
        {
            if (service.TenantId is not null || service.CreateRequestedAt is not null)
            {
                // The tenant of the first domain exists, or may: going on with another would make a second one.
                return Failure.Conflict($"The Microsoft tenant {service.Domain} is already being created for {customer.Name}. Add the service with the prefix '{service.DomainPrefix}' to finish it.");
            }
            if (await UsedElsewhereAsync(domain, customerId, ct))
            {
                return DomainUsedElsewhere(domain);
            }
            service.DomainPrefix = prefix;
            service.Domain = domain;
            service.Status = O365Status.Provisioning;
            service.ExistingTenant = false;
            service.RelationshipRequestUrl = null;
            service.CustomerRequestId = Guid.NewGuid();
            await SaveAsync(service);
            await audit.RecordAsync(customerId, Action, "started", $"Domain {domain}", CancellationToken.None);
        }
        if (service is null)
        {
            if (await UsedElsewhereAsync(domain, customerId, ct))
            {
                return DomainUsedElsewhere(domain);
            }
            service = new O365Service
            {
                OrganizationId = customerId,
                DomainPrefix = prefix,
                Domain = domain,
                Status = O365Status.Provisioning,
                CredentialsEmail = contact.Email!,
                CreatedAt = clock.GetUtcNow(),
            };
            db.O365Services.Add(service);
            try
            {
                await db.SaveChangesAsync(CancellationToken.None);
            }
            catch (DbUpdateException)
            {
                return Failure.Conflict("The service is being added already, or the domain was just taken. Reload the page in a moment.");
            }
            await audit.RecordAsync(customerId, Action, "started", $"Domain {domain}", CancellationToken.None);
        }
        service.CredentialsEmail = contact.Email!;
        service.AgreementAcceptedAt ??= clock.GetUtcNow();

        var run = new Run(service, customer, contact);
        try
        {
            var failure = await EnsureTenantAsync(run, ct) ?? await EnsureAgreementAttestedAsync(run, ct) ?? await EnsureConsentAsync(run, ct)
                ?? await EnsureDelegatedAdminAsync(run, ct);
            if (failure is not null)
            {
                return failure;
            }
            if (service.GdapStatus != "active")
            {
                // Users and licenses wait for the customer's admin to approve; the relationship check carries on from here.
                return O365ServiceDto.From(service);
            }
            failure = await EnsureAdminUserAsync(run, ct) ?? await EnsureCredentialsMailedAsync(run, ct);
            if (failure is not null)
            {
                return failure;
            }
        }
        catch (Exception exception) when (PartnerCenterFailures.IsUnanswered(exception) && !ct.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Partner Center did not answer while adding O365 for customer {Customer}", customerId);
            return await UpstreamFailedAsync(service, "Partner Center did not answer");
        }

        service.Status = O365Status.Active;
        service.ActivatedAt ??= clock.GetUtcNow();
        service.LastError = null;
        await SaveAsync(service);
        await audit.RecordAsync(customerId, Action, "succeeded", $"Tenant {service.TenantId} ({service.Domain})", CancellationToken.None);
        return O365ServiceDto.From(service);
    }

    /// <summary>Nothing is sent to Partner Center unless the prefix, the address and the contact are complete.</summary>
    private static Failure? Check(Organization customer, string? prefix, Contact contact)
    {
        var errors = new Dictionary<string, string[]>();
        if (OnboardingRules.DomainPrefixError(prefix) is { } prefixError)
        {
            errors["domainPrefix"] = [prefixError];
        }
        foreach (var missing in OnboardingRules.MissingContactFields(contact))
        {
            errors[missing.Field] = [$"Enter the {missing.Label}."];
        }
        if (errors.Count > 0)
        {
            return Failure.Invalid(errors);
        }
        var missingAddress = OnboardingRules.MissingAddressFields(customer.Address);
        if (missingAddress.Count > 0)
        {
            return Failure.RuleRefused($"Microsoft needs a complete address. Missing: {string.Join(", ", missingAddress.Select(m => m.Label))}. Complete it under Organization > Properties.")
                with { Extensions = new Dictionary<string, object?> { ["missingFields"] = missingAddress.Select(m => m.Field).ToArray() } };
        }
        return OnboardingRules.UnsupportedCountry(customer.Address) is { } unsupported ? Failure.RuleRefused(unsupported) : null;
    }

    // Another organization's service (in any subtree) has this domain; say no more than that.
    private Task<bool> UsedElsewhereAsync(string domain, Guid customerId, CancellationToken ct) =>
        db.O365Services.IgnoreQueryFilters().AnyAsync(s => s.Domain == domain && s.OrganizationId != customerId, ct);

    private static Failure DomainUsedElsewhere(string domain) =>
        Failure.Conflict($"The domain {domain} is already in use. Choose another prefix.");

    private async Task<Failure?> EnsureTenantAsync(Run run, CancellationToken ct)
    {
        var service = run.Service;
        if (service.TenantId is not null)
        {
            return null;
        }
        // An earlier attempt may have created the customer and lost the answer, or an existing tenant may have
        // accepted the relationship: look it up before creating. A customer found any other way is not ours to take.
        var existing = await partnerCenter.FindCustomerByDomainAsync(service.Domain, ct);
        if (!existing.IsSuccess)
        {
            return await UpstreamFailedAsync(service, existing.Error!.Description);
        }
        if (existing.Value is { } found)
        {
            var ours = (service.ExistingTenant || service.CreateRequestedAt is not null)
                && !await db.O365Services.IgnoreQueryFilters().AnyAsync(s => s.TenantId == found.Id && s.Id != service.Id, ct);
            if (!ours)
            {
                await audit.RecordAsync(service.OrganizationId, "Check domain", "taken", $"{service.Domain} is already a customer in Partner Center", CancellationToken.None);
                return Failure.Conflict($"{service.Domain} is already a customer of the broker in Partner Center, so it cannot be added again here. Choose another prefix, or ask the broker to link it.");
            }
            await AdoptTenantAsync(service, found.Id, service.ExistingTenant ? "linked after the relationship was accepted" : "found");
            return null;
        }

        if (!await partnerCenter.IsDomainAvailableAsync(service.Domain, ct))
        {
            var link = await partnerCenter.GetRelationshipRequestUrlAsync(ct);
            if (!link.IsSuccess)
            {
                return await UpstreamFailedAsync(service, link.Error!.Description);
            }
            service.Status = O365Status.AwaitingRelationship;
            service.ExistingTenant = true;
            service.RelationshipRequestUrl = link.Value;
            await SaveAsync(service);
            await audit.RecordAsync(service.OrganizationId, "Check domain", "taken", $"{service.Domain} belongs to an existing tenant; a reseller relationship request is pending", CancellationToken.None);
            return DomainTaken(service);
        }
        await audit.RecordAsync(service.OrganizationId, "Check domain", "available", service.Domain, CancellationToken.None);

        // Recorded before the call (and claimed: a concurrent instance fails here on the version), so that a lost
        // answer is looked up rather than created again.
        service.CreateRequestedAt = clock.GetUtcNow();
        await SaveAsync(service);
        var (customer, contact) = (run.Customer, run.Contact);
        var address = customer.Address;
        var created = await partnerCenter.CreateCustomerAsync(
            new NewCustomer(service.Domain, customer.Name, contact.Email!,
                new CustomerAddress(contact.FirstName!, contact.LastName!, address.Line1!, address.Line2, address.City!, address.State, address.PostalCode!, address.Country!, contact.Phone)),
            service.CustomerRequestId, ct);
        if (!created.IsSuccess)
        {
            if (IsServerSide(created.Error!))
            {
                return await UpstreamFailedAsync(service, created.Error!.Description);
            }
            // A refusal created nothing: the next try is a new request.
            service.CreateRequestedAt = null;
            service.CustomerRequestId = Guid.NewGuid();
            return await RefusedAsync(service, "Partner Center refused the new tenant", created.Error!.Description);
        }
        await AdoptTenantAsync(service, created.Value!.Id, "created");
        return null;
    }

    public static Failure AgreementNotAccepted() =>
        Failure.RuleRefused("The customer's contact must accept the Microsoft Customer Agreement before Microsoft sells to the customer.")
            with { Extensions = new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["microsoftCustomerAgreement.accepted"] = ["Accept the Microsoft Customer Agreement."] } } };

    private async Task<Failure?> EnsureAgreementAttestedAsync(Run run, CancellationToken ct)
    {
        var service = run.Service;
        if (service.AgreementAttestedAt is not null)
        {
            return null;
        }
        var contact = run.Contact;
        var attested = await partnerCenter.EnsureCustomerAgreementAsync(service.TenantId!.Value,
            new AgreementContact(contact.FirstName!, contact.LastName!, contact.Email!, contact.Phone), service.AgreementAcceptedAt!.Value, ct);
        if (!attested.IsSuccess)
        {
            return await FailedAsync(service, attested.Error!, "Partner Center refused the Microsoft Customer Agreement");
        }
        service.AgreementAttestedAt = clock.GetUtcNow();
        await SaveAsync(service);
        await audit.RecordAsync(service.OrganizationId, "Attest Microsoft Customer Agreement", "succeeded", $"Accepted by {contact.FirstName} {contact.LastName} <{contact.Email}>", CancellationToken.None);
        return null;
    }

    private async Task<Failure?> EnsureConsentAsync(Run run, CancellationToken ct)
    {
        var service = run.Service;
        if (service.ApplicationConsentedAt is not null)
        {
            return null;
        }
        var consented = await partnerCenter.EnsureApplicationConsentAsync(service.TenantId!.Value, ct);
        if (!consented.IsSuccess)
        {
            return await FailedAsync(service, consented.Error!, "Partner Center refused the application consent");
        }
        service.ApplicationConsentedAt = clock.GetUtcNow();
        await SaveAsync(service);
        await audit.RecordAsync(service.OrganizationId, "Consent application", "succeeded", $"Tenant {service.TenantId}", CancellationToken.None);
        return null;
    }

    /// <summary>
    /// Asks the customer for the GDAP roles Skyport needs (created, then locked for the customer's approval), follows its
    /// status and, once active, gives the partner's security group the roles. The relationship's name comes from this
    /// service, so a create whose answer was lost is found by name rather than made twice.
    /// </summary>
    private async Task<Failure?> EnsureDelegatedAdminAsync(Run run, CancellationToken ct)
    {
        var service = run.Service;
        try
        {
            var relationship = service.GdapRelationshipId is { } id ? await gdap.GetAsync(id, ct) : await gdap.FindAsync(service.GdapDisplayName, ct);
            if (relationship is null)
            {
                await SaveAsync(service); // claim the step
                relationship = await gdap.CreateAsync(service.GdapDisplayName, service.TenantId!.Value, run.Customer.Name, ct);
                await audit.RecordAsync(service.OrganizationId, "Request GDAP relationship", "created", relationship!.Id!, CancellationToken.None);
            }
            if (relationship!.Status == Microsoft.Graph.Models.DelegatedAdminRelationshipStatus.Created)
            {
                await gdap.LockForApprovalAsync(relationship.Id!, ct);
                relationship = await gdap.GetAsync(relationship.Id!, ct);
            }
            var status = StatusName(relationship!.Status);
            if (status == "active" && service.GdapAccessAssignedAt is null)
            {
                await gdap.EnsureAccessAssignedAsync(relationship.Id!, ct);
                service.GdapAccessAssignedAt = clock.GetUtcNow();
                await audit.RecordAsync(service.OrganizationId, "Assign GDAP roles", "succeeded", relationship.Id!, CancellationToken.None);
            }
            service.GdapRelationshipId = relationship.Id;
            service.GdapStatus = status;
            service.GdapEndsAt = relationship.EndDateTime;
            if (status != "active" && service.Status != O365Status.Active)
            {
                service.Status = O365Status.AwaitingApproval;
            }
            await SaveAsync(service);
            return null;
        }
        catch (Microsoft.Graph.Models.ODataErrors.ODataError error) when (error.ResponseStatusCode is > 0 and < 500 and not 429 and not 408)
        {
            return await RefusedAsync(service, "Microsoft refused the GDAP relationship", error.Error?.Message ?? error.Message);
        }
        catch (Microsoft.Graph.Models.ODataErrors.ODataError error)
        {
            return await UpstreamFailedAsync(service, error.Error?.Message ?? error.Message);
        }
    }

    /// <summary>Graph's own spelling of a status (approvalPending, active…).</summary>
    public static string StatusName(Microsoft.Graph.Models.DelegatedAdminRelationshipStatus? status) => status switch
    {
        null => "created",
        { } s => char.ToLowerInvariant(s.ToString()[0]) + s.ToString()[1..],
    };

    /// <summary>Reads the relationship's status again (My Services, the relationship check).</summary>
    public async Task RefreshDelegatedAdminAsync(Guid customerId, CancellationToken ct)
    {
        var service = await db.O365Services.SingleOrDefaultAsync(s => s.OrganizationId == customerId, ct);
        if (service?.GdapRelationshipId is not { } id)
        {
            return;
        }
        var relationship = await gdap.GetAsync(id, ct);
        if (relationship is null || StatusName(relationship.Status) == service.GdapStatus && relationship.EndDateTime == service.GdapEndsAt)
        {
            return;
        }
        service.GdapStatus = StatusName(relationship.Status);
        service.GdapEndsAt = relationship.EndDateTime;
        await SaveAsync(service);
    }

    private async Task<Failure?> EnsureAdminUserAsync(Run run, CancellationToken ct)
    {
        var service = run.Service;
        if (service.AdminUserId is not null || service.ExistingTenant)
        {
            return null;
        }
        var tenantId = service.TenantId!.Value;
        var upn = OnboardingRules.AdminUserPrincipalName(run.Contact, service.Domain);
        run.Password = CreateOrganization.GeneratePassword();

        // A retry after a lost answer finds the user made last time and gives it the new password instead.
        var users = await partnerCenter.ListUsersAsync(tenantId, ct: ct);
        if (!users.IsSuccess)
        {
            return await FailedAsync(service, users.Error!, "Partner Center refused to list the tenant's users");
        }
        var user = users.Value!.FirstOrDefault(u => u.UserPrincipalName.Equals(upn, StringComparison.OrdinalIgnoreCase));
        if (user is null)
        {
            await SaveAsync(service); // claim the step
            var created = await partnerCenter.CreateUserAsync(tenantId, new NewCustomerUser(
                upn, $"{run.Contact.FirstName} {run.Contact.LastName}", run.Contact.FirstName, run.Contact.LastName, run.Customer.Address.Country,
                new PasswordProfile(run.Password, ForceChangePassword: true)), service.AdminUserRequestId, ct);
            if (!created.IsSuccess)
            {
                if (!IsServerSide(created.Error!))
                {
                    service.AdminUserRequestId = Guid.NewGuid();
                }
                return await FailedAsync(service, created.Error!, "Partner Center refused the admin user");
            }
            user = created.Value!;
        }
        else if (await ResetPasswordAsync(service, user.Id, run.Password, ct) is { } failure)
        {
            return failure;
        }
        service.AdminUserId = user.Id;
        service.AdminUserPrincipalName = user.UserPrincipalName;
        await SaveAsync(service);
        await audit.RecordAsync(service.OrganizationId, "Create admin user", "succeeded", user.UserPrincipalName, CancellationToken.None);
        return null;
    }

    private async Task<Failure?> EnsureCredentialsMailedAsync(Run run, CancellationToken ct)
    {
        var service = run.Service;
        if (service.CredentialsQueuedAt is not null || service.ExistingTenant)
        {
            return null;
        }
        if (run.Password is null)
        {
            // The admin user was made by an earlier attempt that stopped before writing the email: mail a fresh password.
            run.Password = CreateOrganization.GeneratePassword();
            if (await ResetPasswordAsync(service, service.AdminUserId!.Value, run.Password, ct) is { } failure)
            {
                return failure;
            }
        }
        // One transaction: the email and the record that it was written (a concurrent run fails on the version).
        mail.Add(db, new EmailMessage(
            service.CredentialsEmail,
            $"Your Microsoft 365 tenant {service.Domain} is ready",
            $"""
            Hello {run.Contact.FirstName},

            The Microsoft 365 tenant of {run.Customer.Name} has been created.

            Sign-in name: {service.AdminUserPrincipalName}
            Temporary password: {run.Password}
            Sign in at: {SignInAddress}

            You will be asked to choose a new password when you first sign in.
            """));
        service.CredentialsQueuedAt = clock.GetUtcNow();
        await SaveAsync(service);
        await audit.RecordAsync(service.OrganizationId, "Email admin credentials", "queued", $"To {service.CredentialsEmail}", CancellationToken.None);
        return null;
    }

    private async Task<Failure?> ResetPasswordAsync(O365Service service, Guid userId, string password, CancellationToken ct)
    {
        var reset = await partnerCenter.UpdateUserAsync(service.TenantId!.Value, userId,
            new CustomerUserChange(PasswordProfile: new PasswordProfile(password, ForceChangePassword: true)), ct);
        return reset.IsSuccess ? null : await FailedAsync(service, reset.Error!, "Partner Center refused the admin's password");
    }

    private async Task AdoptTenantAsync(O365Service service, Guid tenantId, string how)
    {
        service.TenantId = tenantId;
        service.Status = O365Status.Provisioning;
        await SaveAsync(service);
        await audit.RecordAsync(service.OrganizationId, "Create Microsoft tenant", how, $"Tenant {tenantId} ({service.Domain})", CancellationToken.None);
    }

    public static Failure DomainTaken(O365Service service) =>
        Failure.Conflict($"A Microsoft tenant already exists for {service.Domain}. Send the relationship request link to that tenant's global administrator; once they accept, the tenant is linked to this customer.")
            with { Extensions = new Dictionary<string, object?> { ["relationshipRequestUrl"] = service.RelationshipRequestUrl, ["domain"] = service.Domain } };

    private static bool IsServerSide(PartnerCenterError error) => error.HttpStatus is >= 500 or 429 or 408;

    private Task<Failure> FailedAsync(O365Service service, PartnerCenterError error, string refusal) =>
        IsServerSide(error) ? UpstreamFailedAsync(service, error.Description) : RefusedAsync(service, refusal, error.Description);

    private async Task<Failure> UpstreamFailedAsync(O365Service service, string reason)
    {
        service.LastError = Shorten(reason, 1000);
        await SaveAsync(service);
        await audit.RecordAsync(service.OrganizationId, Action, "failed", service.LastError, CancellationToken.None);
        return Failure.UpstreamFailed($"Partner Center could not complete the request ({service.LastError}). Nothing was lost: try again and Skyport continues where it stopped.");
    }

    private async Task<Failure> RefusedAsync(O365Service service, string what, string reason)
    {
        service.LastError = Shorten(reason, 1000);
        await SaveAsync(service);
        await audit.RecordAsync(service.OrganizationId, Action, "refused by Partner Center", service.LastError, CancellationToken.None);
        return Failure.RuleRefused($"{what}: {service.LastError}");
    }

    // Once Partner Center has acted, what Skyport learnt is saved even if the caller has gone.
    private async Task SaveAsync(O365Service service)
    {
        service.Version++;
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";


    private sealed class Run(O365Service service, Organization customer, Contact contact)
    {
        public O365Service Service { get; } = service;
        public Organization Customer { get; } = customer;
        public Contact Contact { get; } = contact;
        public string? Password { get; set; }
    }
}
