using Skyport.ResilienceTests.Harness;

namespace Skyport.ResilienceTests.Crash;

/// <summary>
/// An operation the crash trials interrupt. It makes what it needs on a live Skyport, then hands back the one request to
/// interrupt (sent again with the same <c>Idempotency-Key</c> after the restart) and the check of the final answer against
/// Partner Center (the emulator's state) and Skyport. A new operation is one small class listed in <see cref="CrashOperations"/>.
/// </summary>
public abstract class CrashOperation
{
    public abstract string Name { get; }

    /// <summary>Kills land at a random moment within this long after the request is sent: about as long as the operation takes.</summary>
    public virtual TimeSpan KillWindow => TimeSpan.FromMilliseconds(1500);

    /// <summary>Faults the emulator injects while this operation's trials run, e.g. a slow answer that widens a window.</summary>
    public virtual IReadOnlyList<FaultRule> Faults => [];

    public abstract Task<CrashTrial> PrepareAsync(ResilienceRig rig);
}

/// <summary>The request to interrupt and how to check its final answer (throws with what is wrong).</summary>
public sealed record CrashTrial(ApiRequest Request, Func<ApiAnswer, Task> CheckAsync);
