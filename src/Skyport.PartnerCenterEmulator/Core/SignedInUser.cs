namespace Skyport.PartnerCenterEmulator.Core;

public sealed record SignedInUser(Guid ObjectId, string UserPrincipalName, string DisplayName, bool Mfa);
