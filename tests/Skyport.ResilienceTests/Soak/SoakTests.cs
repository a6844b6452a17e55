using System.Diagnostics;
using Skyport.ResilienceTests.Harness;
using Xunit.Abstractions;

namespace Skyport.ResilienceTests.Soak;

/// <summary>
/// Four clients drive a realistic mix through Skyport's API while the emulator fails about a fifth of Partner Center's calls
/// (429 with Retry-After, 500, 503, answers later than Skyport's attempt timeout, answers lost after the work was done). The
/// clients retry as the API tells them to, with the same <c>Idempotency-Key</c>. Then the faults stop, Skyport reconciles, and
/// Skyport, Partner Center and what the clients were told must agree, with nothing held twice; then the cycle closes and every
/// issued billing line must have its event (<see cref="SoakBilling"/>).
/// </summary>
public abstract class SoakTests(ResilienceRig rig, ITestOutputHelper output)
{
    private const int Clients = 4;
    private const int CustomersPerClient = 2;
    /// <summary>Large enough never to run out; what is left of it counts the faults injected.</summary>
    private const int FaultBudget = 10_000_000;

    /// <summary>Partner Center calls time out after 1 s per attempt here, so the injected 1.5 s delays are timeouts.</summary>
    public static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>
    {
        ["PartnerCenter__Resilience__AttemptTimeout"] = "00:00:01",
        ["PartnerCenter__Resilience__TotalTimeout"] = "00:00:10",
    };

    private static readonly FaultRule[] Faults =
    [
        FaultRule.Throttle(0.05) with { Times = FaultBudget },
        FaultRule.Error(0.04, 500) with { Times = FaultBudget },
        FaultRule.Error(0.04, 503) with { Times = FaultBudget },
        FaultRule.Delay(0.03, 1500) with { Times = FaultBudget },
        FaultRule.Drop(0.05) with { Times = FaultBudget },
    ];

    [Fact]
    public async Task Skyport_and_Partner_Center_agree_after_a_mix_of_operations_under_faults()
    {
        var seed = ResilienceSize.Seed + (int)rig.Kind;
        var clients = new List<SoakClient>();
        for (var i = 0; i < Clients; i++)
        {
            var customers = new List<SoakCustomer>();
            for (var c = 0; c < CustomersPerClient; c++)
            {
                var name = rig.Unique("s");
                customers.Add(new SoakCustomer(await rig.Api.CreateCustomerAsync(rig.ResellerId, name, $"{name}@contact.example"), name));
            }
            clients.Add(new SoakClient(i, rig, rig.NewApi(), customers, new Random(seed + i)));
        }

        var clock = Stopwatch.StartNew();
        await rig.Emulator.InjectAsync(Faults, seed);
        var perClient = Math.Max(1, ResilienceSize.SoakOperations / Clients);
        await Task.WhenAll(clients.Select(c => Task.Run(() => c.RunAsync(perClient, SoakOperations.All))));
        var injected = (await rig.Emulator.FaultsAsync()).Sum(f => FaultBudget - (f.Times ?? FaultBudget));
        await rig.Emulator.ClearFaultsAsync();
        var driving = clock.Elapsed;

        var all = clients.SelectMany(c => c.Customers).ToList();
        foreach (var customer in all)
        {
            await rig.Api.Client.SendUntilFinalAsync(new ApiRequest(HttpMethod.Post, $"/api/v1/customers/{customer.Id}/o365/subscriptions/reconcile"), TimeSpan.FromSeconds(30));
        }
        // Users follow Partner Center by Graph sync rounds; give them a few rounds to settle before the last word.
        var findings = await SoakComparison.RunAsync(rig.Api, rig.Emulator, all);
        for (var round = 0; round < 10 && !findings.Clean; round++)
        {
            await Task.Delay(1000);
            findings = await SoakComparison.RunAsync(rig.Api, rig.Emulator, all);
        }

        // Billing last: it moves the clock past the cycle, after Skyport and Partner Center were compared as the clients left them.
        var lines = findings.Clean ? await SoakBilling.CheckAsync(rig.Api, rig.Emulator, all, findings) : 0;

        var counts = clients.SelectMany(c => c.Counts).GroupBy(c => c.Key).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Sum(x => x.Value)}");
        var figures = $"soak on {rig.Kind}: {clients.Sum(c => c.Operations)} operations by {Clients} clients, {injected} faults injected, " +
            $"{clients.Sum(c => c.Api.Client.Retries)} retries, {clients.Sum(c => c.Unfinished)} unfinished, {findings.Mismatches.Count} mismatches, " +
            $"{findings.Duplicates.Count} duplicates, {lines} billing lines issued, {driving.TotalSeconds:F1} s driving + {(clock.Elapsed - driving).TotalSeconds:F1} s settling (seed {seed})";
        output.WriteLine(figures);
        output.WriteLine(string.Join(Environment.NewLine, counts));
        Console.WriteLine(figures);
        Assert.True(findings.Clean, $"{figures}{Environment.NewLine}{findings}{Environment.NewLine}{rig.LogTail()}");
    }
}

public sealed class SqliteSoakRig() : ResilienceRig(DatabaseKind.Sqlite, SoakTests.Settings);

public sealed class PostgresSoakRig() : ResilienceRig(DatabaseKind.Postgres, SoakTests.Settings);

public sealed class SqliteSoakTests(SqliteSoakRig rig, ITestOutputHelper output) : SoakTests(rig, output), IClassFixture<SqliteSoakRig>;

public sealed class PostgresSoakTests(PostgresSoakRig rig, ITestOutputHelper output) : SoakTests(rig, output), IClassFixture<PostgresSoakRig>;
