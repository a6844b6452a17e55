namespace Skyport.PartnerCenterEmulator.Control;

/// <summary>
/// How long Partner Center takes: orders stay <c>pending</c> for a while, and some subscription PATCHes answer
/// <c>202 Accepted</c> and land later. Both default to immediate so that a plain run stays quick; tests set them
/// through <c>PUT /_emulator/settings</c>.
/// </summary>
public sealed class ProcessingSettings(EmulatorOptions options)
{
    private readonly Lock _lock = new();
    private Random _random = new(options.FaultSeed);

    public TimeSpan OrderPendingFor { get; private set; }
    public double PatchAcceptedRate { get; private set; }
    public TimeSpan PatchAppliesAfter { get; private set; } = TimeSpan.FromSeconds(2);
    /// <summary>When set, the customer's admin approves a GDAP relationship this long after it is locked for approval (off: strict).</summary>
    public TimeSpan? GdapApproveAfter { get; private set; } = options.GdapApproveAfter;

    public void SetGdapApproveAfter(TimeSpan? after)
    {
        lock (_lock) GdapApproveAfter = after;
    }

    public void Set(TimeSpan? orderPendingFor, double? patchAcceptedRate, TimeSpan? patchAppliesAfter, int? seed)
    {
        lock (_lock)
        {
            OrderPendingFor = orderPendingFor ?? OrderPendingFor;
            PatchAcceptedRate = patchAcceptedRate ?? PatchAcceptedRate;
            PatchAppliesAfter = patchAppliesAfter ?? PatchAppliesAfter;
            if (seed is not null || patchAcceptedRate is not null) _random = new Random(seed ?? options.FaultSeed);
        }
    }

    /// <summary>Whether this PATCH is answered 202, drawn from the seeded random source.</summary>
    public bool DrawPatchAccepted()
    {
        lock (_lock) return PatchAcceptedRate > 0 && _random.NextDouble() < PatchAcceptedRate;
    }

    public object Json() => new
    {
        orderPendingSeconds = OrderPendingFor.TotalSeconds,
        patchAcceptedRate = PatchAcceptedRate,
        patchDelaySeconds = PatchAppliesAfter.TotalSeconds,
        gdapApproveAfterSeconds = GdapApproveAfter?.TotalSeconds,
    };
}
