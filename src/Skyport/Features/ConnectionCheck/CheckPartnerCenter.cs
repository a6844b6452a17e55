using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Identity.Client;
using Skyport.Data;
using Skyport.Features.Catalog;
using Skyport.PartnerCenter;

namespace Skyport.Features.ConnectionCheck;

/// <summary>
/// Runs every read Skyport needs against the configured Partner Center, one after the other, and says for each what is
/// missing. Reads only: nothing is created or changed, so a broker can point it at an integration sandbox before going live.
/// A customer's reads use the first customer Skyport has a tenant for.
/// </summary>
public sealed class CheckPartnerCenter(
    SkyportDbContext db, PartnerCenterClient partnerCenter, PartnerCenterGraph graph, EntraTokenProvider tokens, IOptions<CatalogOptions> catalog)
{
    public async Task<ConnectionCheckReport> RunAsync(CancellationToken ct)
    {
        var country = catalog.Value.Country;
        var checks = new List<ConnectionCheckItem>
        {
            await StepAsync("Application sign-in", async () =>
            {
                var settings = await tokens.SettingsAsync(ct);
                await tokens.GetTokenAsync(TokenKind.AppOnly, settings.TenantId, PartnerCenterOptions.PartnerCenterScope, ct);
                return (true, $"Signed in as application {settings.ClientId} in partner tenant {settings.TenantId}.");
            }),
            await StepAsync("Partner user sign-in (App+User)", async () =>
            {
                var settings = await tokens.SettingsAsync(ct);
                await tokens.GetTokenAsync(TokenKind.AppUser, settings.TenantId, PartnerCenterOptions.PartnerCenterScope, ct);
                return (true, "A partner user's sign-in gives Skyport App+User tokens (customer users, licenses, the price sheet).");
            }),
            await StepAsync("Customers", async () => Answer(await partnerCenter.ListCustomersAsync(size: 1, ct: ct), page => $"Customers can be read ({(page.Items.Count == 0 ? "none yet" : "at least one")}).")),
            await StepAsync("Catalog", async () => Answer(await partnerCenter.GetProductsAsync(country, ct), products => $"{products.Count} products for {country}.")),
            await StepAsync("Price sheet", async () => await PriceSheetAsync(country, ct)),
        };
        var customer = await db.O365Services.AsNoTracking().Where(s => s.TenantId != null).OrderBy(s => s.CreatedAt).Select(s => new { s.TenantId, s.Domain }).FirstOrDefaultAsync(ct);
        if (customer is null)
        {
            checks.Add(new ConnectionCheckItem("A customer's users and licenses", true, "No customer has a tenant yet: these reads are checked once one has."));
            return ConnectionCheckReport.Of(checks);
        }
        var tenant = customer.TenantId!.Value;
        checks.Add(await StepAsync("A customer's users (GDAP)", async () => Answer(await partnerCenter.ListUsersAsync(tenant, ct: ct), users => $"{users.Count} users of {customer.Domain}.")));
        checks.Add(await StepAsync("A customer's licenses (GDAP)", async () => Answer(await partnerCenter.GetSubscribedSkusAsync(tenant, ct), skus => $"{skus.Count} products licensed in {customer.Domain}.")));
        checks.Add(await StepAsync("Graph in a customer's tenant (consent)", async () =>
        {
            var users = await graph.ForTenant(tenant).Users.GetAsync(r => r.QueryParameters.Top = 1, ct);
            return (true, $"Graph answers for {customer.Domain} ({(users?.Value?.Count > 0 ? "users found" : "no users yet")}).");
        }));
        return ConnectionCheckReport.Of(checks);
    }

    private async Task<(bool, string)> PriceSheetAsync(string country, CancellationToken ct)
    {
        var sheet = await partnerCenter.GetPriceSheetAsync(country, ct);
        if (!sheet.IsSuccess)
        {
            return (false, MissingPiece.Explain(sheet.Error!));
        }
        await using var file = sheet.Value!;
        try
        {
            return (true, $"The license-based price sheet for {country} has {file.Rows().Count():N0} prices.");
        }
        catch (Exception e) when (e is InvalidDataException or CsvHelper.CsvFormatException)
        {
            return (false, $"Partner Center's price sheet could not be read: {e.Message}");
        }
    }

    private static async Task<ConnectionCheckItem> StepAsync(string name, Func<Task<(bool Ok, string Detail)>> read)
    {
        try
        {
            var (ok, detail) = await read();
            return new ConnectionCheckItem(name, ok, detail);
        }
        catch (ODataError error)
        {
            return new ConnectionCheckItem(name, false, error.Error?.Code == "Authorization_RequestDenied"
                ? "Graph refused: no active GDAP relationship gives the roles Skyport needs in this customer's tenant. Ask the customer's administrator to approve it (My Services shows the link)."
                : $"Graph refused ({error.ResponseStatusCode} {error.Error?.Code}): {error.Error?.Message}");
        }
        catch (PartnerCenterSignInRequiredException exception)
        {
            return new ConnectionCheckItem(name, false, $"{exception.Message} Sign in with Microsoft on Connect Partner Center.");
        }
        catch (MsalServiceException exception)
        {
            return new ConnectionCheckItem(name, false, MissingPiece.ExplainSignIn(exception.Message));
        }
        catch (Exception exception) when (PartnerCenterFailures.IsUnanswered(exception))
        {
            return new ConnectionCheckItem(name, false, $"Microsoft did not answer ({exception.Message}). Check the addresses in the PartnerCenter settings and the network, then check again.");
        }
    }

    private static (bool, string) Answer<T>(PartnerCenterResult<T> result, Func<T, string> describe) =>
        result.IsSuccess ? (true, describe(result.Value!)) : (false, MissingPiece.Explain(result.Error!));
}
