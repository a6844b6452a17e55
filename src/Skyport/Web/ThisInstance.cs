namespace Skyport.Web;

/// <summary>
/// This process among Skyport's instances. Liveness is judged on the wall clock, never on the clock that follows the
/// emulator: moving the emulator's clock a month ahead must not make every instance look dead.
/// </summary>
public sealed class ThisInstance
{
    /// <summary>How often the heartbeat is written.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(1);

    /// <summary>An instance whose heartbeat is older than this is gone: a few missed beats, so that a slow database write is not taken for a crash.</summary>
    public static readonly TimeSpan GoneAfter = TimeSpan.FromSeconds(5);

    public Guid Id { get; } = Guid.NewGuid();

    public string Name { get; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>Heartbeats older than this instant belong to instances that are gone.</summary>
    public static DateTimeOffset AliveSince => DateTimeOffset.UtcNow - GoneAfter;
}
