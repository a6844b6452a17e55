using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Skyport.Data;
using Skyport.Web;

namespace Skyport.Features.Email;

[Authorize(Policy = Policies.Broker)]
public sealed class OutboxModel(SkyportDbContext db, OutboxProtection protection, IOptions<EmailOptions> options) : PageModel
{
    public sealed record Shown(DateTimeOffset CreatedAt, EmailMessage Email, string Delivery);

    public bool Delivers => options.Value.Delivers;

    public IReadOnlyList<Shown> Messages { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        Messages = [.. (await db.Outbox.AsNoTracking().OrderByDescending(m => m.CreatedAt).Take(200).ToListAsync(ct))
            .Select(m => new Shown(m.CreatedAt, protection.Open(m), Delivery(m)))];

    private string Delivery(OutboxMessage message) => message switch
    {
        { SentAt: { } sent } => $"Sent {sent:yyyy-MM-dd HH:mm} UTC",
        { RefusedAt: not null } => $"Refused by the mail server: {message.LastError}",
        { Deliver: false } => "Kept here (no SMTP server)",
        { Attempts: 0 } => "Waiting to be sent",
        _ => $"Not sent yet ({message.Attempts} {(message.Attempts == 1 ? "attempt" : "attempts")}, next at {message.NextAttemptAt:HH:mm:ss} UTC): {message.LastError}",
    };
}
