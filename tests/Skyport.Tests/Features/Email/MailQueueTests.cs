using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Features.Email;
using Skyport.Features.Renewals;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Email;

public sealed class MailQueueOnSqlite(SqliteSkyport app) : MailQueueTests(app), IClassFixture<SqliteSkyport>;

public sealed class MailQueueOnPostgres(PostgresSkyport app) : MailQueueTests(app), IClassFixture<PostgresSkyport>;

/// <summary>An email exists only with the record of the step that wrote it: the guarantee behind "one credentials email" (ADR 5).</summary>
public abstract class MailQueueTests(SkyportApp app)
{
    [Fact]
    public async Task An_email_whose_step_is_not_saved_is_not_kept_either()
    {
        var to = $"nobody-{Guid.NewGuid():N}@example.com";
        await app.InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<SkyportDbContext>();
            s.GetRequiredService<MailQueue>().Add(db, new EmailMessage(to, "Your password", "Temporary password: x"));
            // The step's record refers to an organization that does not exist: the save fails as a whole.
            db.RenewalNotices.Add(new RenewalNotice { OrganizationId = Guid.NewGuid(), SubscriptionId = Guid.NewGuid(), TermEnd = new DateOnly(2027, 1, 1), DaysBefore = 7 });
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            return 0;
        });
        var kept = await app.InScopeAsync(s => s.GetRequiredService<SkyportDbContext>().Outbox.CountAsync(m => m.To == to));
        Assert.Equal(0, kept);
    }

    [Fact]
    public async Task An_email_is_kept_with_the_step_that_wrote_it_in_one_save()
    {
        var to = $"somebody-{Guid.NewGuid():N}@example.com";
        var broker = await Known.BrokerIdAsync(app);
        await app.InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<SkyportDbContext>();
            s.GetRequiredService<MailQueue>().Add(db, new EmailMessage(to, "Your password", "Temporary password: x"));
            db.RenewalNotices.Add(new RenewalNotice { OrganizationId = broker, SubscriptionId = Guid.NewGuid(), TermEnd = new DateOnly(2027, 1, 1), DaysBefore = 7 });
            return await db.SaveChangesAsync();
        });
        var kept = await app.InScopeAsync(s => s.GetRequiredService<SkyportDbContext>().Outbox.AsNoTracking().SingleAsync(m => m.To == to));
        Assert.NotEqual("Temporary password: x", kept.Body); // stored encrypted
        Assert.Equal("Temporary password: x", app.Services.GetRequiredService<OutboxProtection>().Open(kept).Body);
    }
}
