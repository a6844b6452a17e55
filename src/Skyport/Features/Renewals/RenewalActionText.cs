namespace Skyport.Features.Renewals;

/// <summary>The API's name and the pages' words for each <see cref="RenewalAction"/>.</summary>
public static class RenewalActionText
{
    public static string WireName(this RenewalAction action) => action switch
    {
        RenewalAction.Renews => "renews",
        RenewalAction.RenewsWithChanges => "renewsWithChanges",
        RenewalAction.EntersExtendedTerm => "entersExtendedTerm",
        _ => "lapses",
    };

    public static string Label(this RenewalAction action) => action switch
    {
        RenewalAction.Renews => "Renews",
        RenewalAction.RenewsWithChanges => "Renews with changes",
        RenewalAction.EntersExtendedTerm => "Enters the extended service term",
        _ => "Lapses",
    };
}
