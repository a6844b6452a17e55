using System.Text.RegularExpressions;
using Skyport.PartnerCenter;

namespace Skyport.Features.ConnectionCheck;

/// <summary>
/// What a refusal from Microsoft means for the broker: the permission, role, consent or agreement that is missing. Codes are
/// those of Microsoft's pages (docs/microsoft-contract.md): Partner Center's error codes, Entra's AADSTS codes, Graph's codes.
/// </summary>
public static partial class MissingPiece
{
    public static string Explain(PartnerCenterError error) => error.Code switch
    {
        PartnerCenterSignInRequiredException.Code => "No partner user's sign-in works (none yet, or Microsoft refused its refresh). Sign in with Microsoft on Connect Partner Center.",
        "900329" => "This read needs a partner user's sign-in (App+User), not the application alone. Sign in with Microsoft on Connect Partner Center.",
        "900421" => "The partner user signed in without multi-factor authentication, which Microsoft requires for App+User calls. Sign in again with MFA on Connect Partner Center.",
        "900308" => "No active GDAP relationship gives Skyport's partner users the role this needs in the customer's tenant (User Administrator for users, License Administrator for licenses). Ask the customer's administrator to approve the relationship shown on My Services.",
        "13605" => "The customer has not accepted the Microsoft Customer Agreement, or Skyport has not attested it. Add the acceptance with the customer's contact.",
        _ when error.HttpStatus == 401 => $"Partner Center did not accept Skyport's sign-in ({error.Description}). Check the application id, secret and the partner user's sign-in on Connect Partner Center.",
        _ when error.HttpStatus == 403 => $"Partner Center refused: the signed-in partner user lacks a permission or role ({error.Description}). Partner Center roles (Admin agent, Sales agent) are given in Partner Center's user management.",
        _ => $"Partner Center answered {error.HttpStatus} {error.Code}: {error.Description}",
    };

    /// <summary>A refusal of Entra's token endpoint (its <c>error_description</c> starts with the AADSTS code).</summary>
    public static string ExplainSignIn(string refusal) => AadstsCode().Match(refusal) is { Success: true } match
        ? match.Groups[1].Value switch
        {
            "7000215" or "7000222" => "The application's client secret is wrong or has expired. Enter a new secret on Connect Partner Center.",
            "700016" or "7000229" => "The application is not consented in this tenant: its service principal is missing. Skyport consents it when a customer is onboarded; for an older customer, add the consent (applicationconsents) in Partner Center.",
            "65001" => "The user or administrator has not consented to the application. Sign in with Microsoft again on Connect Partner Center and accept.",
            "90002" => "Microsoft does not know this tenant. Check the partner tenant id on Connect Partner Center.",
            "700082" or "70008" or "50173" => "The partner user's sign-in has expired or was revoked. Sign in with Microsoft again on Connect Partner Center.",
            var code => $"Microsoft's sign-in refused (AADSTS{code}): {Shorten(refusal)}",
        }
        : $"Microsoft's sign-in refused: {Shorten(refusal)}";

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..299] + "…";

    [GeneratedRegex(@"AADSTS(\d+)")]
    private static partial Regex AadstsCode();
}
