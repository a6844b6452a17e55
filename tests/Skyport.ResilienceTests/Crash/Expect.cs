using Skyport.ResilienceTests.Harness;

namespace Skyport.ResilienceTests.Crash;

/// <summary>Checks that say what was found when they fail (a trial's failure is reported with its operation and seed).</summary>
public static class Expect
{
    public static void Status(ApiAnswer answer, int status, string what)
    {
        if (answer.Status != status)
        {
            throw new TrialFailure($"{what}: expected {status}, the final answer was {answer}");
        }
    }

    public static void That(bool condition, string failure)
    {
        if (!condition)
        {
            throw new TrialFailure(failure);
        }
    }

    /// <summary>Retries a check that depends on background work (user sync) for a bounded time, then fails with its last failure.</summary>
    public static async Task EventuallyAsync(Func<Task> check, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        while (true)
        {
            try
            {
                await check();
                return;
            }
            catch (TrialFailure) when (DateTime.UtcNow < until)
            {
                await Task.Delay(250);
            }
        }
    }
}

public sealed class TrialFailure(string message) : Exception(message);
