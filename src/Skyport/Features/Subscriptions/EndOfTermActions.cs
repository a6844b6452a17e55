namespace Skyport.Features.Subscriptions;

/// <summary>
/// R12: the API's names of what happens at term end: <c>renew</c> (auto-renew on), <c>extend</c> (auto-renew off: the
/// extended service term) or <c>cancel</c> (ends at term end).
/// </summary>
public static class EndOfTermActions
{
    public const string Renew = "renew";
    public const string Extend = "extend";
    public const string Cancel = "cancel";

    public static readonly string[] All = [Renew, Extend, Cancel];

    public static string Of(O365Subscription s) => s.AutoRenew ? Renew : s.CancelAtTermEnd ? Cancel : Extend;
}
