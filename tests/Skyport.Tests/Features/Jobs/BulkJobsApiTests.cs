using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Skyport.Data;
using Skyport.Tests.Features.Users;
using Skyport.Tests.Infrastructure;
using Skyport.Web;
using Skyport.Web.Jobs;

namespace Skyport.Tests.Features.Jobs;

public sealed class BulkJobsApiOnSqlite(SqliteSkyportFastSync app) : BulkJobsApiTests(app), IClassFixture<SqliteSkyportFastSync>;

public sealed class BulkJobsApiOnPostgres(PostgresSkyportFastSync app) : BulkJobsApiTests(app), IClassFixture<PostgresSkyportFastSync>;

/// <summary>
/// Issue 11, defect 7: bulk work lived inside one HTTP request. Now the POST queues a job and answers 202 at once; the job
/// runs on its own, shows its progress, survives the client and is taken over after its instance dies.
/// </summary>
public abstract class BulkJobsApiTests(SkyportApp app) : IAsyncLifetime
{
    private const string LicenseUpdates = "/v1/customers/*/users/*/licenseupdates";
    private readonly EmulatorControl _emulator = new(app);

    public Task InitializeAsync() => Shop.ImportCatalogAsync(app);

    public Task DisposeAsync() => _emulator.ClearFaultsAsync();

    private static string Subscribe(TenantCustomer c) => $"/api/v1/customers/{c.Id}/o365/users/subscribe";

    private async Task<Guid> BuyAsync(TenantCustomer customer, int quantity) =>
        (await (await app.Broker().PostJsonAsync($"/api/v1/customers/{customer.Id}/o365/subscriptions", new { offerId = Shop.BusinessBasic, quantity })).ExpectAsync(HttpStatusCode.Created))!["id"]!.GetValue<Guid>();

    private async Task<List<Guid>> UsersAsync(TenantCustomer customer, int count)
    {
        var users = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            users.Add(await app.NewUserAsync(customer, $"Worker{i:D2}"));
        }
        return users;
    }

    /// <summary>The users holding a license in Partner Center itself (the emulator's state).</summary>
    private async Task<HashSet<Guid>> LicensedInPartnerCenterAsync(TenantCustomer customer) =>
        [.. (await _emulator.StateAsync())["tenants"]!.AsArray().Single(t => t!["id"]!.GetValue<Guid>() == customer.TenantId)!["users"]!.AsArray()
            .Where(u => u!["licenses"]!.AsArray().Count > 0).Select(u => u!["id"]!.GetValue<Guid>())];

    [Fact]
    public async Task Subscribe_answers_202_at_once_and_the_job_shows_progress_then_every_users_result()
    {
        var customer = await app.CustomerWithTenantAsync();
        var subscription = await BuyAsync(customer, quantity: 12);
        var users = await UsersAsync(customer, 12);
        // Each license update takes a second and a half: eight at a time, so the job needs two rounds.
        await _emulator.InjectAsync(new { method = "POST", pathPattern = LicenseUpdates, kind = "delay", delayMs = 1500, rate = 1.0 });

        var (queued, location) = await app.Broker().QueueJobAsync(Subscribe(customer), new { userIds = users, subscriptionIds = new[] { subscription } });

        Assert.Equal("subscribe", queued["kind"]!.GetValue<string>());
        Assert.Equal(12, queued["total"]!.GetValue<int>());
        Assert.Equal(0, queued["done"]!.GetValue<int>());
        Assert.Empty(queued["results"]!.AsArray());
        Assert.Null(queued["finishedAt"]);
        var seen = new List<int>();
        JsonNode job;
        var until = DateTime.UtcNow.AddSeconds(60);
        do
        {
            Assert.True(DateTime.UtcNow < until, "the job finishes");
            await Task.Delay(100);
            job = (await (await app.Broker().GetAsync(location)).ExpectAsync(HttpStatusCode.OK))!;
            seen.Add(job["done"]!.GetValue<int>());
            Assert.Equal(job["done"]!.GetValue<int>(), job["results"]!.AsArray().Count);
        }
        while (job["state"]!.GetValue<string>() is "queued" or "running");

        Assert.Equal("succeeded", job["state"]!.GetValue<string>());
        Assert.Contains(seen, done => done > 0 && done < 12); // the progress was seen between the start and the end
        Assert.Equal(seen.Order(), seen); // and it only grows
        Assert.NotNull(job["finishedAt"]);
        var results = job["results"]!.AsArray();
        Assert.Equal(users, results.Select(r => r!["userId"]!.GetValue<Guid>()));
        Assert.All(results, r => Assert.True(r!["ok"]!.GetValue<bool>(), r!.ToJsonString()));
        Assert.Equal($"worker00@{customer.Domain}", results[0]!["userPrincipalName"]!.GetValue<string>());
        Assert.Equal(users.Order(), (await LicensedInPartnerCenterAsync(customer)).Order());
    }

    [Fact]
    public async Task A_job_goes_on_after_its_client_has_gone()
    {
        var customer = await app.CustomerWithTenantAsync();
        var subscription = await BuyAsync(customer, quantity: 3);
        var users = await UsersAsync(customer, 3);
        await _emulator.InjectAsync(new { method = "POST", pathPattern = LicenseUpdates, kind = "delay", delayMs = 1000, rate = 1.0 });

        string location;
        using (var client = app.Broker())
        using (var gone = new CancellationTokenSource())
        {
            var response = await client.PostAsync(Subscribe(customer), JsonContent(new { userIds = users, subscriptionIds = new[] { subscription } }), gone.Token);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            location = response.Headers.Location!.ToString();
            await gone.CancelAsync(); // the tab is closed: nothing more from this client
        }

        var job = await app.Broker().FinishedJobAsync(location, TimeSpan.FromSeconds(30));
        Assert.Equal("succeeded", job["state"]!.GetValue<string>());
        Assert.Equal(3, job["done"]!.GetValue<int>());
        Assert.Equal(users.Order(), (await LicensedInPartnerCenterAsync(customer)).Order());
    }

    [Fact]
    public async Task A_job_left_running_by_a_dead_instance_is_taken_over_and_finished_without_redoing_its_recorded_users()
    {
        var customer = await app.CustomerWithTenantAsync();
        var subscription = await BuyAsync(customer, quantity: 5);
        var users = await UsersAsync(customer, 5);
        var recorded = users.Take(2).Select(id => new { userId = id, userPrincipalName = "recorded before the crash", ok = true, error = (string?)null }).ToList();
        var jobId = Guid.NewGuid();
        var creator = await app.InScopeAsync(s => s.GetRequiredService<SkyportDbContext>().Users.SingleAsync(u => u.Email == DemoData.Reseller.Email));
        await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<SkyportDbContext>();
            var dead = DeadInstance("killed:1");
            db.Instances.Add(dead);
            db.BulkJobs.Add(new BulkJob
            {
                Id = jobId,
                OrganizationId = customer.Id,
                Kind = BulkJobKind.Subscribe,
                Request = JsonSerializer.Serialize(new { userIds = users, subscriptionIds = new[] { subscription } }),
                State = BulkJobState.Running,
                Total = users.Count,
                Done = recorded.Count,
                Results = JsonSerializer.Serialize(recorded),
                OwnerInstanceId = dead.Id,
                CreatedByUserId = creator.Id,
                CreatedByName = creator.DisplayName,
                CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-2),
                StartedAt = DateTimeOffset.UtcNow.AddMinutes(-2),
            });
            await db.SaveChangesAsync();
            return true;
        });

        var job = await app.Broker().FinishedJobAsync($"/api/v1/customers/{customer.Id}/o365/jobs/{jobId}", TimeSpan.FromSeconds(10));

        Assert.Equal("succeeded", job["state"]!.GetValue<string>());
        var results = job["results"]!.AsArray();
        Assert.Equal(users, results.Select(r => r!["userId"]!.GetValue<Guid>()));
        Assert.All(results.Take(2), r => Assert.Equal("recorded before the crash", r!["userPrincipalName"]!.GetValue<string>()));
        Assert.All(results.Skip(2), r => Assert.True(r!["ok"]!.GetValue<bool>(), r!.ToJsonString()));
        // Partner Center got the three users left, and never the two recorded as done.
        Assert.Equal(users.Skip(2).Order(), (await LicensedInPartnerCenterAsync(customer)).Order());
        var owner = await app.InScopeAsync(s => s.GetRequiredService<SkyportDbContext>().BulkJobs.Where(j => j.Id == jobId).Select(j => j.OwnerInstanceId).SingleAsync());
        Assert.Equal(app.Services.GetRequiredService<ThisInstance>().Id, owner);
        // It ran as the user who started it (a reseller administrator, whose subtree holds the customer): the audit log names them.
        var audit = await app.InScopeAsync(s => s.GetRequiredService<SkyportDbContext>().AuditEntries
            .Where(e => e.OrganizationId == customer.Id && e.Action == "Assign subscriptions").Select(e => new { e.Actor, e.Outcome }).SingleAsync());
        Assert.Equal(creator.DisplayName, audit.Actor);
        Assert.Equal("5 of 5 users", audit.Outcome);
    }

    [Fact]
    public async Task A_retry_with_the_same_idempotency_key_answers_the_same_job()
    {
        var customer = await app.CustomerWithTenantAsync();
        var subscription = await BuyAsync(customer, quantity: 1);
        var adele = await app.NewUserAsync(customer, "Adele");
        var key = Guid.NewGuid().ToString();

        var first = await SubscribeWithKeyAsync(customer, key, adele, subscription);
        var firstJob = (await first.ExpectAsync(HttpStatusCode.Accepted))!;
        var again = await SubscribeWithKeyAsync(customer, key, adele, subscription);
        var againJob = (await again.ExpectAsync(HttpStatusCode.Accepted))!;

        Assert.Equal(firstJob["id"]!.GetValue<Guid>(), againJob["id"]!.GetValue<Guid>());
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.True(again.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, await app.InScopeAsync(s => s.GetRequiredService<SkyportDbContext>().BulkJobs.CountAsync(j => j.OrganizationId == customer.Id)));
        var job = await app.Broker().FinishedJobAsync(first.Headers.Location!.ToString());
        Assert.True(job["results"]![0]!["ok"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_retry_after_an_answer_lost_in_a_crash_answers_the_job_queued_and_does_not_count_its_licenses_again()
    {
        // Found by the crash harness: the instance died after queuing the job and before storing its 202. The job, taken
        // over, assigned the last free license; the retry checked again, saw none free, and answered 422 for work done.
        var customer = await app.CustomerWithTenantAsync();
        var subscription = await BuyAsync(customer, quantity: 1);
        var adele = await app.NewUserAsync(customer, "Adele");
        var key = Guid.NewGuid().ToString();
        var first = await SubscribeWithKeyAsync(customer, key, adele, subscription);
        var firstJob = (await first.ExpectAsync(HttpStatusCode.Accepted))!;
        Assert.True((await app.Broker().FinishedJobAsync(first.Headers.Location!.ToString()))["results"]![0]!["ok"]!.GetValue<bool>());
        await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<SkyportDbContext>();
            var dead = DeadInstance("killed:2");
            db.Instances.Add(dead);
            var record = await db.IdempotencyRecords.SingleAsync(r => r.Key == key);
            (record.StatusCode, record.ContentType, record.Location, record.Body, record.OwnerInstanceId) = (null, null, null, null, dead.Id);
            // Nor had Skyport stored what Partner Center accepted for Adele.
            var stale = await db.TenantUsers.SingleAsync(u => u.Id == adele);
            stale.AssignedSkuIds = [];
            return await db.SaveChangesAsync();
        });

        var retry = await SubscribeWithKeyAsync(customer, key, adele, subscription);

        var retryJob = (await retry.ExpectAsync(HttpStatusCode.Accepted))!;
        Assert.Equal(firstJob["id"]!.GetValue<Guid>(), retryJob["id"]!.GetValue<Guid>());
        Assert.Equal("succeeded", retryJob["state"]!.GetValue<string>());
        Assert.Equal(1, await app.InScopeAsync(s => s.GetRequiredService<SkyportDbContext>().BulkJobs.CountAsync(j => j.OrganizationId == customer.Id)));
        Assert.Equal([adele], await LicensedInPartnerCenterAsync(customer));
    }

    [Fact]
    public async Task A_job_taken_over_after_its_audit_line_was_written_does_not_write_it_again()
    {
        var customer = await app.CustomerWithTenantAsync();
        var subscription = await BuyAsync(customer, quantity: 1);
        var adele = await app.NewUserAsync(customer, "Adele");
        var (_, location) = await app.Broker().QueueJobAsync(Subscribe(customer), new { userIds = new[] { adele }, subscriptionIds = new[] { subscription } });
        var jobId = Guid.Parse(location.Split('/').Last());
        Assert.Equal("succeeded", (await app.Broker().FinishedJobAsync(location))["state"]!.GetValue<string>());
        // The instance wrote the audit line and died before marking the job done.
        await app.InScopeAsync(async services =>
        {
            var db = services.GetRequiredService<SkyportDbContext>();
            var dead = DeadInstance("killed:3");
            db.Instances.Add(dead);
            var job = await db.BulkJobs.SingleAsync(j => j.Id == jobId);
            (job.State, job.FinishedAt, job.OwnerInstanceId) = (BulkJobState.Running, null, dead.Id);
            return await db.SaveChangesAsync();
        });

        var resumed = await app.Broker().FinishedJobAsync(location, TimeSpan.FromSeconds(10));

        Assert.Equal("succeeded", resumed["state"]!.GetValue<string>());
        var lines = await app.InScopeAsync(s => s.GetRequiredService<SkyportDbContext>().AuditEntries
            .Where(e => e.OrganizationId == customer.Id && e.Action == "Assign subscriptions").Select(e => e.Outcome).ToListAsync());
        Assert.Equal(["1 of 1 users"], lines);
    }

    [Fact]
    public async Task A_refused_action_queues_nothing_and_another_resellers_administrator_cannot_see_the_job()
    {
        var customer = await app.CustomerWithTenantAsync();
        var subscription = await BuyAsync(customer, quantity: 1);
        var adele = await app.NewUserAsync(customer, "Adele");
        var bianca = await app.NewUserAsync(customer, "Bianca");

        await (await app.Broker().PostJsonAsync(Subscribe(customer), new { userIds = new[] { adele, bianca }, subscriptionIds = new[] { subscription } }))
            .ExpectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(0, await app.InScopeAsync(s => s.GetRequiredService<SkyportDbContext>().BulkJobs.CountAsync(j => j.OrganizationId == customer.Id)));

        var (_, location) = await app.Broker().QueueJobAsync(Subscribe(customer), new { userIds = new[] { adele }, subscriptionIds = new[] { subscription } });
        var other = await app.AnotherResellerAsync();
        await (await other.GetAsync(location)).ExpectAsync(HttpStatusCode.NotFound);
        // The job under another customer's id is not found either, even for its own broker.
        var sibling = await app.CustomerWithTenantAsync();
        await (await app.Broker().GetAsync(location.Replace(customer.Id.ToString(), sibling.Id.ToString()))).ExpectAsync(HttpStatusCode.NotFound);
        await (await app.Broker().GetAsync($"/api/v1/customers/{customer.Id}/o365/jobs/{Guid.NewGuid()}")).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal("succeeded", (await app.Broker().FinishedJobAsync(location))["state"]!.GetValue<string>());
    }

    /// <summary>POST Subscribe for one user with an <c>Idempotency-Key</c>, as a client retrying it would.</summary>
    private async Task<HttpResponseMessage> SubscribeWithKeyAsync(TenantCustomer customer, string key, Guid user, Guid subscription)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Subscribe(customer)) { Content = JsonContent(new { userIds = new[] { user }, subscriptionIds = new[] { subscription } }) };
        request.Headers.Add("Idempotency-Key", key);
        return await app.Broker().SendAsync(request);
    }

    /// <summary>An instance whose heartbeat stopped a minute ago: what it owns is taken over.</summary>
    private static SkyportInstance DeadInstance(string name) =>
        new() { Id = Guid.NewGuid(), Name = name, StartedAt = DateTimeOffset.UtcNow.AddMinutes(-5), HeartbeatAt = DateTimeOffset.UtcNow.AddMinutes(-1) };

    private static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body, Json.Options), System.Text.Encoding.UTF8, "application/json");
}
