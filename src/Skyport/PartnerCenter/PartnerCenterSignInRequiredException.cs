namespace Skyport.PartnerCenter;

/// <summary>No App+User grant works: no one signed in yet, or Entra refused the refresh (revoked, expired). A broker administrator signs in again.</summary>
public sealed class PartnerCenterSignInRequiredException(string message, Exception? inner = null) : Exception(message, inner)
{
    public const string Code = "SignInRequired";
}
