using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Web;

namespace Skyport.Features.Email;

/// <summary>
/// Delivers the outbox over SMTP, oldest first, on every instance; an email is claimed by one instance at a time and
/// taken over when that instance's heartbeat stops. Delivery is at least once: SMTP cannot say whether a server that
/// accepted an email before a crash has it, so an email whose acceptance was not recorded is sent again, as the same
/// email (same <c>Message-ID</c>, same body). Retries follow the wall clock, never the emulator's.
/// </summary>
public sealed class MailDispatcher(IServiceScopeFactory scopes, SmtpTransport smtp, OutboxProtection protection, ThisInstance instance, ILogger<MailDispatcher> logger)
    : BackgroundService
{
    /// <summary>How often the outbox is looked at without a wake-up (emails written by another instance, retries that fall due).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>A wait after a failed attempt: 10 s, doubling, at most 15 minutes.</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(10 * Math.Pow(2, Math.Max(0, attempts - 1)), 900));

    public void Wake() => _wake.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DeliverNextAsync(stoppingToken))
                {
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "The outbox could not be read; trying again shortly");
            }
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            wait.CancelAfter(PollInterval);
            try
            {
                await _wake.Reader.ReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>Claims and delivers one due email; false when none is due.</summary>
    private async Task<bool> DeliverNextAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SkyportDbContext>();
        var now = DateTimeOffset.UtcNow;
        var alive = ThisInstance.AliveSince;
        var due = db.Outbox.Where(m => m.Deliver && m.SentAt == null && m.RefusedAt == null && m.Body != ""
            && (m.NextAttemptAt == null || m.NextAttemptAt <= now)
            && (m.ClaimedBy == null || m.ClaimedBy == instance.Id || !db.Instances.Any(i => i.Id == m.ClaimedBy && i.HeartbeatAt >= alive)));
        var id = await due.OrderBy(m => m.CreatedAt).Select(m => (Guid?)m.Id).FirstOrDefaultAsync(ct);
        if (id is null)
        {
            return false;
        }
        if (await due.Where(m => m.Id == id).ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedBy, instance.Id), ct) == 0)
        {
            return true; // another instance claimed it first
        }
        var message = await db.Outbox.SingleAsync(m => m.Id == id, ct);
        try
        {
            await smtp.SendAsync(protection.Open(message), message.MessageId(smtp.FromDomain), ct);
            message.SentAt = DateTimeOffset.UtcNow;
            message.Body = "";
            message.LastError = null;
        }
        catch (Exception exception) when (!ct.IsCancellationRequested)
        {
            message.Attempts++;
            message.LastError = Shorten(exception.Message);
            if (SmtpTransport.IsPermanentRefusal(exception))
            {
                logger.LogError(exception, "The mail server refused email {Id} to {To}", message.Id, message.To);
                message.RefusedAt = DateTimeOffset.UtcNow;
                message.Body = "";
            }
            else
            {
                logger.LogWarning(exception, "Email {Id} could not be sent (attempt {Attempts}); trying again later", message.Id, message.Attempts);
                message.NextAttemptAt = DateTimeOffset.UtcNow + Backoff(message.Attempts);
            }
        }
        message.ClaimedBy = null;
        await db.SaveChangesAsync(CancellationToken.None);
        return true;
    }

    private static string Shorten(string text) => text.Length <= 500 ? text : text[..499] + "…";
}
