using System.Text.RegularExpressions;

namespace Skyport.PartnerCenter;

/// <summary>
/// The Partner Center routes Microsoft documents as App+User only (each page's Prerequisites; docs/microsoft-contract.md §2).
/// Every other route takes the app-only token, which any Skyport instance can get without a signed-in user.
/// </summary>
public static partial class PartnerCenterRoutes
{
    public static TokenKind TokenFor(string path)
    {
        var withoutQuery = path.Split('?', 2)[0];
        var relative = Uri.TryCreate(withoutQuery, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal)
            ? absolute.AbsolutePath
            : withoutQuery;
        return AppUserOnly().IsMatch(relative) ? TokenKind.AppUser : TokenKind.AppOnly;
    }

    // users (create, list, get, update, reset, restore, delete, a user's licenses, licenseupdates), subscribed SKUs,
    // the relationship request link, the company profile (2021), order and subscription provisioning status,
    // invoice by id and its statement, every Microsoft Customer Agreement call, application consents (Microsoft's sample).
    [GeneratedRegex("""
        ^/v1/(
            customers/[^/]+/users(/.*)?
          | customers/[^/]+/subscribedskus
          | customers/relationshiprequests
          | customers/[^/]+/profiles/company
          | customers/[^/]+/(orders|subscriptions)/[^/]+/provisioningstatus
          | invoices/[^/]+(/documents/statement)?
          | agreements
          | customers/[^/]+/agreements
          | customers/[^/]+/applicationconsents(/.*)?
        )/?$
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.IgnoreCase)]
    private static partial Regex AppUserOnly();
}
