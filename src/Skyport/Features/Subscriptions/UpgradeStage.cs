namespace Skyport.Features.Subscriptions;

public enum UpgradeStage
{
    /// <summary>Recorded; the transition may or may not have been made in Partner Center.</summary>
    Started,
    /// <summary>Partner Center made it (the target is known); Skyport may not have stored it yet.</summary>
    Transitioned,
    Completed,
    Refused,
}
