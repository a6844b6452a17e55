using Skyport.Features.ConnectionCheck;
using Skyport.PartnerCenter;

namespace Skyport.Tests.Features.ConnectionCheck;

/// <summary>Microsoft's refusals, said as what the broker must add (codes from docs/microsoft-contract.md).</summary>
public sealed class MissingPieceTests
{
    [Theory]
    [InlineData(401, "SignInRequired", "Sign in with Microsoft on Connect Partner Center")]
    [InlineData(403, "900329", "partner user's sign-in (App+User)")]
    [InlineData(401, "900421", "multi-factor authentication")]
    [InlineData(403, "900308", "GDAP relationship")]
    [InlineData(403, "13605", "Microsoft Customer Agreement")]
    [InlineData(403, "403", "Admin agent, Sales agent")] // any other 403: a missing role or permission
    [InlineData(401, "401", "application id, secret")] // any other 401: the sign-in itself
    public void A_partner_center_refusal_names_what_is_missing(int status, string code, string expected) =>
        Assert.Contains(expected, MissingPiece.Explain(new PartnerCenterError(status, code, "refused", [])));

    [Fact]
    public void Any_other_refusal_is_shown_as_partner_center_said_it() =>
        Assert.Equal("Partner Center answered 400 2000: The market is not supported.", MissingPiece.Explain(new PartnerCenterError(400, "2000", "The market is not supported.", [])));

    [Theory]
    [InlineData("401 {\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret provided.\"}", "client secret is wrong")]
    [InlineData("401 {\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000229: The client application x is missing service principal in the tenant y.\"}", "not consented in this tenant")]
    [InlineData("400 {\"error\":\"unauthorized_client\",\"error_description\":\"AADSTS700016: Application not found in the directory.\"}", "not consented in this tenant")]
    [InlineData("400 {\"error\":\"invalid_request\",\"error_description\":\"AADSTS90002: Tenant 'x' not found.\"}", "partner tenant id")]
    [InlineData("400 {\"error\":\"invalid_grant\",\"error_description\":\"AADSTS700082: The refresh token has expired due to inactivity.\"}", "Sign in with Microsoft again")]
    [InlineData("400 {\"error\":\"invalid_scope\",\"error_description\":\"AADSTS70011: The provided value for scope isn't valid.\"}", "(AADSTS70011)")]
    public void A_sign_in_refusal_names_what_is_missing(string refusal, string expected) =>
        Assert.Contains(expected, MissingPiece.ExplainSignIn(refusal));
}
