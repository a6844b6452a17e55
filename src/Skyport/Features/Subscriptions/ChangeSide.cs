namespace Skyport.Features.Subscriptions;

/// <summary>Who made a change: someone in Skyport, or someone (or Microsoft) directly in Partner Center.</summary>
public enum ChangeSide
{
    Skyport,
    PartnerCenter,
}
