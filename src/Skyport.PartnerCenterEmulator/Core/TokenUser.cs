namespace Skyport.PartnerCenterEmulator.Core;

/// <summary>The user behind an App+User token: <c>Mfa</c> when its <c>amr</c> lists <c>mfa</c>.</summary>
public sealed record TokenUser(Guid ObjectId, string UserPrincipalName, bool Mfa);
