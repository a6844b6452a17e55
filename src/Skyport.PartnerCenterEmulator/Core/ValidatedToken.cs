namespace Skyport.PartnerCenterEmulator.Core;

public sealed record ValidatedToken(Guid TenantId, string Audience, TokenUser? User);
