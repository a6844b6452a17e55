using Microsoft.AspNetCore.Mvc;
using Skyport.Data;
using Skyport.Features.Jobs;
using Skyport.Features.Users;
using Skyport.Web;

namespace Skyport.Features.Directory;

public sealed class ImportUsersModel(SkyportDbContext db, TenantUsers users, DirectoryPeople people, ImportUsers import) : TenantPageModel(db, users)
{
    public IReadOnlyList<DirectoryPersonDto> People { get; private set; } = [];

    [BindProperty]
    public List<Guid> Selected { get; set; } = [];

    [BindProperty]
    public string? SendPasswordTo { get; set; }

    [BindProperty]
    public NewPersonForm Person { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(Guid customerId, CancellationToken ct)
    {
        if (!await LoadAsync(customerId, ct))
        {
            return NotFound();
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid customerId, CancellationToken ct)
    {
        if (!await LoadAsync(customerId, ct))
        {
            return NotFound();
        }
        var outcome = await import.QueueAsync(customerId, new ImportUsersRequest(Selected, SendPasswordTo), ct);
        if (!outcome.Succeeded)
        {
            ModelState.Clear();
            foreach (var (field, messages) in outcome.Failure!.Errors ?? new Dictionary<string, string[]> { [""] = [outcome.Failure.Detail] })
            {
                ModelState.AddModelError(field == "directoryUserIds" ? nameof(Selected) : field == "sendPasswordTo" ? nameof(SendPasswordTo) : "", string.Join(" ", messages));
            }
            return Page();
        }
        return Redirect("~" + JobEndpoints.PagePath(customerId, outcome.Value!.Id));
    }

    public async Task<IActionResult> OnPostAddPersonAsync(Guid customerId, CancellationToken ct)
    {
        if (!await LoadAsync(customerId, ct))
        {
            return NotFound();
        }
        var outcome = await people.AddAsync(customerId, new NewDirectoryPersonRequest(Person.FirstName, Person.LastName, Person.Email, Person.Phone, Person.JobTitle), ct);
        if (!outcome.Succeeded)
        {
            ModelState.Clear();
            ModelState.AddFailure(outcome.Failure!, nameof(Person));
            return Page();
        }
        TempData["Message"] = $"{outcome.Value!.FirstName} {outcome.Value.LastName} added to the directory.";
        return Redirect("~" + UsersPath + "/import");
    }

    private async Task<bool> LoadAsync(Guid customerId, CancellationToken ct)
    {
        if (!await LoadServiceAsync(customerId, ct))
        {
            return false;
        }
        People = await people.ListAsync(customerId, ct);
        return true;
    }

    public sealed class NewPersonForm
    {
        public string? FirstName { get; set; }
        public string? LastName { get; set; }
        public string? Email { get; set; }
        public string? Phone { get; set; }
        public string? JobTitle { get; set; }
    }
}
