namespace Skyport.ResilienceTests.Crash;

/// <summary>Every operation the crash trials interrupt; add a new one here.</summary>
public static class CrashOperations
{
    public static readonly IReadOnlyList<CrashOperation> All =
        [new Onboarding(), new Purchase(), new QuantityChange(), new BulkAssignment(), new UserCreation(), new ReportIssuing()];

    public static TheoryData<string> Names => [.. All.Select(o => o.Name)];

    public static CrashOperation Named(string name) => All.Single(o => o.Name == name);
}
