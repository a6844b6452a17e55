using Skyport.Data;

namespace Skyport.Features.Email;

/// <summary>
/// Puts an email into the caller's unit of work: it is stored by the caller's next <c>SaveChanges</c>, together with the
/// record of why it was written (a step done, a user made), or not at all. Nothing is sent before that commit, so a crash
/// can never leave an email sent and its step unrecorded, and a retry never writes a second one. A singleton.
/// </summary>
public sealed class MailQueue(OutboxProtection protection, TimeProvider clock, MailDispatcher? dispatcher = null)
{
    public void Add(SkyportDbContext db, EmailMessage message)
    {
        db.Outbox.Add(protection.Seal(message, clock.GetUtcNow(), deliver: dispatcher is not null));
        if (dispatcher is not null)
        {
            db.SavedChanges += WakeDispatcher;
        }
    }

    /// <summary>For a caller whose save ran inside its own transaction: the email can go now that it is committed.</summary>
    public void Wake() => dispatcher?.Wake();

    private void WakeDispatcher(object? sender, Microsoft.EntityFrameworkCore.SavedChangesEventArgs e)
    {
        ((SkyportDbContext)sender!).SavedChanges -= WakeDispatcher;
        dispatcher!.Wake();
    }
}
