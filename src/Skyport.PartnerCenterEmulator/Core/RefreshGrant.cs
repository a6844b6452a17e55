namespace Skyport.PartnerCenterEmulator.Core;

public sealed record RefreshGrant(Guid UserId, string ClientId, bool Mfa, DateTimeOffset IssuedAt);
