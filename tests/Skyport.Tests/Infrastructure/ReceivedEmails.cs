using netDumbster.smtp;

namespace Skyport.Tests.Infrastructure;

/// <summary>Emails leave Skyport a moment after the work that wrote them commits (its outbox dispatcher): wait for them.</summary>
public static class ReceivedEmails
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    /// <summary>The one email matching, once it has arrived; fails when none arrives in time or more than one does.</summary>
    public static async Task<SmtpMessage> SingleEmailAsync(this SimpleSmtpServer smtp, Func<SmtpMessage, bool> matches)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!smtp.ReceivedEmail.Any(matches) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        return Assert.Single(smtp.ReceivedEmail, m => matches(m));
    }
}
