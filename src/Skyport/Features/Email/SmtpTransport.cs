using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Skyport.Features.Email;

/// <summary>Hands one email to the configured SMTP server. A singleton.</summary>
public sealed class SmtpTransport(IOptions<EmailOptions> options)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public string FromDomain => MailboxAddress.Parse(options.Value.From).Domain;

    public async Task SendAsync(EmailMessage message, string messageId, CancellationToken ct)
    {
        var settings = options.Value;
        var mime = new MimeMessage { MessageId = messageId, Subject = message.Subject, Body = new TextPart("plain") { Text = message.Body } };
        mime.From.Add(MailboxAddress.Parse(settings.From));
        mime.To.Add(MailboxAddress.Parse(message.To));

        using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        var security = settings.Smtp.Security switch
        {
            SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.None,
        };
        await client.ConnectAsync(settings.Smtp.Host ?? throw new InvalidOperationException("Email:Smtp:Host is not set."), settings.Smtp.Port, security, ct);
        if (!string.IsNullOrEmpty(settings.Smtp.User))
        {
            await client.AuthenticateAsync(settings.Smtp.User, settings.Smtp.Password ?? "", ct);
        }
        await client.SendAsync(mime, ct);
        await client.DisconnectAsync(true, ct);
    }

    /// <summary>The server refused this email for good (5xx to the sender, a recipient or the message): sending it again cannot help.</summary>
    public static bool IsPermanentRefusal(Exception exception) =>
        exception is SmtpCommandException { StatusCode: var status } && (int)status >= 500
        && ((SmtpCommandException)exception).ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.SenderNotAccepted or SmtpErrorCode.MessageNotAccepted;
}
