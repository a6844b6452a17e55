namespace Skyport.Features.ConnectionCheck;

/// <summary>The answer of <c>GET /api/v1/partner-center/check</c>: ok when every check is.</summary>
public sealed record ConnectionCheckReport(bool Ok, IReadOnlyList<ConnectionCheckItem> Checks)
{
    public static ConnectionCheckReport Of(IReadOnlyList<ConnectionCheckItem> checks) => new(checks.All(c => c.Ok), checks);
}
