using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Skyport.Features.Organizations;
using Skyport.Web;

namespace Skyport.Features.Tenants;

public sealed class AddServiceModel(OrganizationQueries organizations, AddO365Service add, Caller caller) : PageModel
{
    public OrganizationDetails? Customer { get; private set; }
    public IReadOnlyList<Organization> Customers { get; private set; } = [];
    public O365Service? Service { get; private set; }
    public IReadOnlyList<OnboardingRules.MissingField> MissingAddress { get; private set; } = [];

    [BindProperty]
    public AddServiceForm Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(Guid? customerId, CancellationToken ct)
    {
        if (!await LoadAsync(customerId, ct))
        {
            return NotFound();
        }
        if (Service is { Status: O365Status.Active })
        {
            return Redirect($"~/my-services/o365/{Customer!.Id}/subscriptions");
        }
        if (Customer is not null)
        {
            Input = new AddServiceForm { DomainPrefix = Service?.DomainPrefix, Contact = Customer.Properties.Contact };
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? customerId, CancellationToken ct)
    {
        if (!await LoadAsync(customerId, ct) || Customer is null)
        {
            return NotFound();
        }
        var outcome = await add.RunAsync(Customer.Id, new AddO365Request(Input.DomainPrefix, Input.Contact, new AgreementAcceptance(Input.AcceptAgreement)), ct);
        if (!outcome.Succeeded && !Input.AcceptAgreement && outcome.Failure!.Detail == AddO365Service.AgreementNotAccepted().Detail)
        {
            await LoadAsync(customerId, ct);
            ModelState.AddModelError($"{nameof(Input)}.{nameof(AddServiceForm.AcceptAgreement)}", "Accept the Microsoft Customer Agreement to add the service.");
            return Page();
        }
        return await ShowAsync(outcome, ct);
    }

    /// <summary>Runs the onboarding again for the recorded domain: links the tenant once the relationship is accepted.</summary>
    public async Task<IActionResult> OnPostCheckAsync(Guid? customerId, CancellationToken ct)
    {
        if (!await LoadAsync(customerId, ct) || Customer is null || Service is null)
        {
            return NotFound();
        }
        var outcome = await add.RunAsync(Customer.Id, new AddO365Request(Service.DomainPrefix, Customer.Properties.Contact), ct);
        if (!outcome.Succeeded && outcome.Failure!.Extensions?.ContainsKey("relationshipRequestUrl") == true)
        {
            TempData["Message"] = "The relationship has not been accepted yet.";
            return RedirectToPage(new { customerId = Customer.Id });
        }
        return await ShowAsync(outcome, ct);
    }

    private async Task<IActionResult> ShowAsync(Outcome<O365ServiceDto> outcome, CancellationToken ct)
    {
        if (outcome.Succeeded)
        {
            var service = outcome.Value!;
            if (service.Status == "awaitingApproval")
            {
                TempData["Message"] = $"O365 CSP Direct requested for {service.Domain}. The tenant's administrator must now approve Skyport's admin access with the approval link below; the service is ready once they have.";
                return Redirect("~/my-services");
            }
            TempData["Message"] = service.AdminUserPrincipalName is null
                ? $"O365 CSP Direct added: the existing tenant {service.Domain} is linked."
                : $"O365 CSP Direct added: tenant {service.Domain} was created and the sign-in details of {service.AdminUserPrincipalName} were emailed.";
            return Redirect($"~/my-services/o365/{Customer!.Id}/subscriptions");
        }
        var failure = outcome.Failure!;
        if (failure.Kind == FailureKind.Conflict && failure.Extensions?.ContainsKey("relationshipRequestUrl") == true)
        {
            return RedirectToPage(new { customerId = Customer!.Id });
        }
        ModelState.Clear();
        if (failure.Kind == FailureKind.Invalid)
        {
            ModelState.AddFailure(failure, nameof(Input));
        }
        else if (failure.Kind != FailureKind.RuleRefused || failure.Extensions?.ContainsKey("missingFields") != true)
        {
            ModelState.AddModelError(string.Empty, failure.Detail);
        }
        await LoadAsync(Customer!.Id, ct);
        return Page();
    }

    private async Task<bool> LoadAsync(Guid? customerId, CancellationToken ct)
    {
        var id = customerId ?? (caller.OrganizationKind == OrganizationKind.Customer ? caller.OrganizationId : (Guid?)null);
        if (id is null)
        {
            Customers = [.. (await organizations.TreeAsync(ct)).Where(o => o.Kind == OrganizationKind.Customer).OrderBy(o => o.Name)];
            return true;
        }
        Customer = await organizations.GetAsync(id.Value, ct);
        if (Customer is null || Customer.Kind != OrganizationKind.Customer)
        {
            return false;
        }
        Service = await add.FindAsync(Customer.Id, ct);
        MissingAddress = OnboardingRules.MissingAddressFields(Customer.Properties.Address);
        return true;
    }

    public sealed class AddServiceForm
    {
        public string? DomainPrefix { get; set; }
        public Contact Contact { get; set; } = new();
        /// <summary>"I accept the Microsoft Customer Agreement", ticked by the customer's contact.</summary>
        public bool AcceptAgreement { get; set; }
    }
}
