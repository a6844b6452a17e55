using Microsoft.AspNetCore.Mvc.RazorPages;
using Skyport.Web;

namespace Skyport.Features.Organizations;

public sealed class IndexModel(OrganizationQueries organizations, Caller caller) : PageModel
{
    public Caller Caller => caller;
    public IReadOnlyList<(Organization Organization, int Depth)> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var all = await organizations.TreeAsync(ct);
        var children = all.ToLookup(o => o.ParentId);
        var visibleIds = all.Select(o => o.Id).ToHashSet();
        var rows = new List<(Organization, int)>();
        void Walk(Organization organization, int depth)
        {
            rows.Add((organization, depth));
            foreach (var child in children[organization.Id].OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase))
            {
                Walk(child, depth + 1);
            }
        }
        foreach (var root in all.Where(o => o.ParentId is null || !visibleIds.Contains(o.ParentId.Value)).OrderBy(o => o.Name))
        {
            Walk(root, 0);
        }
        Rows = rows;
    }
}
