using System.Security.Claims;
using Skyport.Features.Organizations;

namespace Skyport.Web;

/// <summary>Who is calling, read from the signed-in user's claims (cookie or API key alike).</summary>
public sealed class Caller(IHttpContextAccessor accessor)
{
    public const string OrganizationClaim = "skyport:org";
    public const string OrganizationPathClaim = "skyport:org_path";
    public const string OrganizationKindClaim = "skyport:org_kind";

    // Matches no organization path: an anonymous request sees nothing.
    private const string NothingVisible = "!";

    // Set for background work done on someone's behalf (a bulk job): it runs as its creator, outside any request.
    private ClaimsPrincipal? _actingFor;

    private ClaimsPrincipal? User => _actingFor ?? accessor.HttpContext?.User;

    public bool IsSignedIn => User?.Identity?.IsAuthenticated == true;

    public Guid UserId => Guid.Parse(Claim(ClaimTypes.NameIdentifier));
    public Guid OrganizationId => Guid.Parse(Claim(OrganizationClaim));
    public string OrganizationPath => Claim(OrganizationPathClaim);
    public OrganizationKind OrganizationKind => Enum.Parse<OrganizationKind>(Claim(OrganizationKindClaim));
    public string DisplayName => User?.FindFirstValue("name") ?? User?.Identity?.Name ?? "";

    public bool IsBroker => IsSignedIn && OrganizationKind == OrganizationKind.Broker;

    /// <summary>The subtree the caller may see, as a path prefix; null only outside an HTTP request.</summary>
    public string? ScopePath => accessor.HttpContext is null && _actingFor is null ? null : IsSignedIn ? OrganizationPath : NothingVisible;

    /// <summary>Makes this scope's caller the given user (as their sign-in would), for work that continues without a request.</summary>
    public void ActFor(ClaimsPrincipal user) => _actingFor = user;

    private string Claim(string type) =>
        User?.FindFirstValue(type) ?? throw new InvalidOperationException($"The caller has no '{type}' claim.");
}
