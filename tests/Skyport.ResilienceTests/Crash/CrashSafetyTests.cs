using System.Diagnostics;
using Skyport.ResilienceTests.Harness;
using Xunit.Abstractions;

namespace Skyport.ResilienceTests.Crash;

/// <summary>
/// Skyport is killed (SIGKILL) at a random moment after a request is sent, started again on the same database, and the request
/// is sent again with the same <c>Idempotency-Key</c> until it answers a final status: the operation must have completed
/// once, with nothing duplicated in Partner Center or Skyport. The kill moments come from a seeded random source
/// (<c>SKYPORT_RESILIENCE_SEED</c>).
/// </summary>
public abstract class CrashSafetyTests(ResilienceRig rig, ITestOutputHelper output)
{
    /// <summary>How long a retry after the restart may take to answer a final status (a blocked key answers 409 meanwhile).</summary>
    private static readonly TimeSpan RetryBudget = TimeSpan.FromSeconds(15);

    /// <summary>Enough failed trials to show a defect; the rest would only add time.</summary>
    private const int FailuresToStop = 3;

    [Theory]
    [MemberData(nameof(CrashOperations.Names), MemberType = typeof(CrashOperations))]
    public async Task An_operation_killed_midway_completes_once_when_retried_after_a_restart(string operation)
    {
        var crash = CrashOperations.Named(operation);
        var client = rig.NewApi().Client;
        var seed = ResilienceSize.Seed + 1000 * CrashOperations.All.ToList().IndexOf(crash) + (int)rig.Kind;
        var random = new Random(seed);
        await rig.Emulator.InjectAsync(crash.Faults, seed);
        var failures = new List<string>();
        var trials = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            while (trials < ResilienceSize.CrashTrialsPerOperation && failures.Count < FailuresToStop)
            {
                trials++;
                var trial = await crash.PrepareAsync(rig);
                var killAfter = random.Next(0, (int)crash.KillWindow.TotalMilliseconds + 1);
                var first = client.SendOnceAsync(trial.Request);
                await Task.Delay(killAfter);
                rig.Skyport.Kill();
                var firstAnswer = await first;
                await rig.Skyport.StartAsync();
                var final = await client.SendUntilFinalAsync(trial.Request, RetryBudget);
                var moment = $"trial {trials}, killed {killAfter} ms after sending (first answer: {(firstAnswer.Answered ? firstAnswer.Status : "none")})";
                try
                {
                    Expect.That(!final.IsRetryable, $"still {final} after {RetryBudget.TotalSeconds} s of retries");
                    await trial.CheckAsync(final);
                    output.WriteLine($"{moment}: ok; restart took {rig.Skyport.LastStartTime.TotalMilliseconds:F0} ms");
                }
                catch (TrialFailure failure)
                {
                    failures.Add($"{moment}: {failure.Message}");
                    output.WriteLine($"{moment}: FAILED {failure.Message}");
                }
            }
        }
        finally
        {
            await rig.Emulator.ClearFaultsAsync();
        }
        output.WriteLine($"{operation} on {rig.Kind}: {trials} trials in {clock.Elapsed.TotalSeconds:F1} s, {failures.Count} failed, {rig.Mail.Redeliveries} emails delivered twice (seed {seed})");
        Assert.True(failures.Count == 0,
            $"{operation} on {rig.Kind}: {failures.Count} of {trials} trials failed (seed {seed}):{Environment.NewLine}{string.Join(Environment.NewLine, failures)}{Environment.NewLine}{rig.LogTail()}");
    }
}

public sealed class SqliteCrashRig() : ResilienceRig(DatabaseKind.Sqlite);

public sealed class PostgresCrashRig() : ResilienceRig(DatabaseKind.Postgres);

public sealed class SqliteCrashSafetyTests(SqliteCrashRig rig, ITestOutputHelper output) : CrashSafetyTests(rig, output), IClassFixture<SqliteCrashRig>;

public sealed class PostgresCrashSafetyTests(PostgresCrashRig rig, ITestOutputHelper output) : CrashSafetyTests(rig, output), IClassFixture<PostgresCrashRig>;
