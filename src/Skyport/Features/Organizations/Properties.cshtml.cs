using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Skyport.Web;

namespace Skyport.Features.Organizations;

public sealed class PropertiesModel(OrganizationQueries organizations, UpdateProperties updateProperties, UpdateBilling updateBilling, Caller caller)
    : PageModel
{
    public OrganizationDetails Organization { get; private set; } = null!;

    [BindProperty]
    public PropertiesForm Input { get; set; } = new();

    [BindProperty]
    public BillingForm Billing { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        Input = new PropertiesForm { CompanyName = Organization.Properties.CompanyName, Address = Organization.Properties.Address, Contact = Organization.Properties.Contact };
        Billing = new BillingForm { CycleEndDay = Organization.Billing?.CycleEndDay, Currency = Organization.Billing?.Currency };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        ModelState.Clear();
        var outcome = await updateProperties.RunAsync(Organization.Id, new PropertiesRequest(Input.CompanyName, Input.Address, Input.Contact), ct);
        if (!outcome.Succeeded)
        {
            ModelState.AddFailure(outcome.Failure!, nameof(Input));
            Billing = new BillingForm { CycleEndDay = Organization.Billing?.CycleEndDay, Currency = Organization.Billing?.Currency };
            return Page();
        }
        TempData["Message"] = "Properties saved.";
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostBillingAsync(Guid? id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        var attemptedDay = ModelState[$"{nameof(Billing)}.{nameof(BillingForm.CycleEndDay)}"]?.AttemptedValue;
        ModelState.Clear();
        if (Billing.CycleEndDay is null && !string.IsNullOrWhiteSpace(attemptedDay))
        {
            ModelState.AddModelError("Billing.CycleEndDay", "The cycle end day must be a whole number between 1 and 31.");
        }
        var outcome = ModelState.IsValid
            ? await updateBilling.RunAsync(Organization.Id, new BillingRequest(Billing.CycleEndDay, Billing.Currency), ct)
            : default;
        if (!ModelState.IsValid || !outcome.Succeeded)
        {
            if (outcome.Failure is { } failure)
            {
                ModelState.AddFailure(failure, nameof(Billing));
            }
            Input = new PropertiesForm { CompanyName = Organization.Properties.CompanyName, Address = Organization.Properties.Address, Contact = Organization.Properties.Contact };
            return Page();
        }
        TempData["Message"] = "Billing settings saved.";
        return RedirectToPage(new { id });
    }

    private async Task<bool> LoadAsync(Guid? id, CancellationToken ct)
    {
        var organization = await organizations.GetAsync(id ?? caller.OrganizationId, ct);
        if (organization is null)
        {
            return false;
        }
        Organization = organization;
        return true;
    }

    public sealed class PropertiesForm
    {
        public string? CompanyName { get; set; }
        public Address Address { get; set; } = new();
        public Contact Contact { get; set; } = new();
    }

    public sealed class BillingForm
    {
        public int? CycleEndDay { get; set; }
        public string? Currency { get; set; }
    }
}
