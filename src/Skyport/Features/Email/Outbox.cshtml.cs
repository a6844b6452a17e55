using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Web;

namespace Skyport.Features.Email;

[Authorize(Policy = Policies.Broker)]
public sealed class OutboxModel(SkyportDbContext db, OutboxProtection protection) : PageModel
{
    public sealed record Shown(DateTimeOffset CreatedAt, EmailMessage Email);

    public IReadOnlyList<Shown> Messages { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        Messages = [.. (await db.Outbox.AsNoTracking().OrderByDescending(m => m.CreatedAt).Take(200).ToListAsync(ct))
            .Select(m => new Shown(m.CreatedAt, protection.Open(m)))];
}
