namespace Skyport.ResilienceTests.Soak;

/// <summary>Where Skyport, Partner Center and what the clients were told disagree, and what Partner Center holds twice.</summary>
public sealed class SoakFindings
{
    public List<string> Mismatches { get; } = [];

    public List<string> Duplicates { get; } = [];

    public bool Clean => Mismatches.Count == 0 && Duplicates.Count == 0;

    public override string ToString() =>
        string.Join(Environment.NewLine, Duplicates.Select(d => "duplicate: " + d).Concat(Mismatches.Select(m => "mismatch: " + m)));
}
