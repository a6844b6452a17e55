using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using Skyport.Web;

namespace Skyport.Features.Organizations;

public sealed class NewModel(OrganizationQueries organizations, CreateOrganization create, Caller caller) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Kind { get; set; } = "customer";

    [BindProperty]
    public NewForm Input { get; set; } = new();

    public IReadOnlyList<SelectListItem> Parents { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!Allowed())
        {
            return NotFound();
        }
        await LoadParentsAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!Allowed())
        {
            return NotFound();
        }
        await LoadParentsAsync(ct);
        var parentId = Kind == "reseller" ? caller.OrganizationId : Input.ParentId;
        var outcome = await create.RunAsync(new CreateOrganizationRequest(
            Input.Name, Kind, parentId,
            new PropertiesRequest(Input.Name, new Address { Country = Input.Country }, new Contact
            {
                FirstName = Input.AdminFirstName, LastName = Input.AdminLastName, Email = Input.AdminEmail,
            }),
            null,
            new AdministratorRequest(Input.AdminEmail, Input.AdminFirstName, Input.AdminLastName)), ct);
        if (!outcome.Succeeded)
        {
            ModelState.Clear();
            foreach (var (field, messages) in outcome.Failure!.Errors ?? new Dictionary<string, string[]>())
            {
                var key = FormField(field);
                foreach (var message in messages)
                {
                    ModelState.AddModelError(key, message);
                }
            }
            if (outcome.Failure.Errors is null)
            {
                ModelState.AddModelError(string.Empty, outcome.Failure.Detail);
            }
            return Page();
        }
        TempData["Message"] = $"{outcome.Value!.Name} created. Its administrator has been emailed a temporary password.";
        return Redirect($"~/organization/properties/{outcome.Value.Id}");
    }

    private bool Allowed() => Kind switch
    {
        "reseller" => caller.OrganizationKind == OrganizationKind.Broker,
        "customer" => caller.OrganizationKind != OrganizationKind.Customer,
        _ => false,
    };

    private async Task LoadParentsAsync(CancellationToken ct)
    {
        var resellers = (await organizations.TreeAsync(ct)).Where(o => o.Kind == OrganizationKind.Reseller).OrderBy(o => o.Name).ToList();
        Parents = [.. resellers.Select(r => new SelectListItem(r.Name, r.Id.ToString()))];
        Input.ParentId ??= resellers.FirstOrDefault()?.Id;
    }

    private static string FormField(string apiField) => apiField switch
    {
        "name" or "properties.companyName" => "Input.Name",
        "parentId" => "Input.ParentId",
        "properties.address.country" => "Input.Country",
        "administrator.email" or "properties.contact.email" => "Input.AdminEmail",
        "administrator.firstName" => "Input.AdminFirstName",
        "administrator.lastName" => "Input.AdminLastName",
        _ => string.Empty,
    };

    public sealed class NewForm
    {
        public string? Name { get; set; }
        public Guid? ParentId { get; set; }
        public string? Country { get; set; }
        public string? AdminFirstName { get; set; }
        public string? AdminLastName { get; set; }
        public string? AdminEmail { get; set; }
    }
}
