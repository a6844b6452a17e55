namespace Skyport.PartnerCenterEmulator.SignIn;

/// <summary>What an authorize request asked for, kept while the user signs in.</summary>
public sealed record AuthorizeRequest(
    Guid TenantId, string ClientId, string RedirectUri, string Scope, string? State, string? Nonce, string ResponseMode,
    string? CodeChallenge, string CodeChallengeMethod);
