namespace Skyport.ResilienceTests.Harness;

/// <summary>
/// How big a run is: quick in ./test.sh; <c>SKYPORT_RESILIENCE_SIZE=full</c> from bench/ for the full size; the counts can also
/// be set one by one (<c>SKYPORT_CRASH_TRIALS</c> per operation and database, <c>SKYPORT_SOAK_OPERATIONS</c> per database).
/// </summary>
public static class ResilienceSize
{
    public static bool Full => string.Equals(Environment.GetEnvironmentVariable("SKYPORT_RESILIENCE_SIZE"), "full", StringComparison.OrdinalIgnoreCase);

    public static int CrashTrialsPerOperation => Number("SKYPORT_CRASH_TRIALS") ?? (Full ? 40 : 5);

    public static int SoakOperations => Number("SKYPORT_SOAK_OPERATIONS") ?? (Full ? 10_000 : 200);

    /// <summary>Seed of every random choice (kill moments, operation mix, faults); a failing run is repeated with the same one.</summary>
    public static int Seed => Number("SKYPORT_RESILIENCE_SEED") ?? 20261125;

    private static int? Number(string variable) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), out var value) && value > 0 ? value : null;
}
