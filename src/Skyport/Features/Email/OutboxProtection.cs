using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;

namespace Skyport.Features.Email;

/// <summary>
/// Outbox bodies carry generated passwords, so they are stored encrypted with Data Protection (a purpose of their own)
/// and read back only to be shown to a broker administrator. A singleton.
/// </summary>
public sealed class OutboxProtection(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Skyport.Email.OutboxBody.v1");

    public OutboxMessage Seal(EmailMessage message, DateTimeOffset now, bool deliver) =>
        new() { Deliver = deliver, To = message.To, Subject = message.Subject, Body = _protector.Protect(message.Body), BodyProtected = true, CreatedAt = now };

    public EmailMessage Open(OutboxMessage message)
    {
        if (message.Body.Length == 0)
        {
            return new EmailMessage(message.To, message.Subject, "(Not kept once delivered or refused: it may have held a password.)");
        }
        if (!message.BodyProtected)
        {
            return new EmailMessage(message.To, message.Subject, message.Body);
        }
        try
        {
            return new EmailMessage(message.To, message.Subject, _protector.Unprotect(message.Body));
        }
        catch (CryptographicException)
        {
            return new EmailMessage(message.To, message.Subject, "(This email was encrypted with a key this installation no longer has.)");
        }
    }

    /// <summary>Encrypts the bodies stored in clear before bodies were protected (run at start, after the migrations).</summary>
    public async Task<int> ProtectStoredBodiesAsync(SkyportDbContext db, CancellationToken ct)
    {
        var plain = await db.Outbox.Where(m => !m.BodyProtected && m.Body != "").ToListAsync(ct);
        foreach (var message in plain)
        {
            message.Body = _protector.Protect(message.Body);
            message.BodyProtected = true;
        }
        await db.SaveChangesAsync(ct);
        return plain.Count;
    }
}
