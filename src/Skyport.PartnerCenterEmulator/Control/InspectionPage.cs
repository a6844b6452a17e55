using System.Text;
using System.Text.Encodings.Web;
using Microsoft.EntityFrameworkCore;
using Skyport.PartnerCenterEmulator.Core;
using Skyport.PartnerCenterEmulator.Users;

namespace Skyport.PartnerCenterEmulator.Control;

/// <summary>A read-only page of tenants, users and subscriptions, with a form that creates a user "in Partner Center".</summary>
public static class InspectionPage
{
    public static void Map(RouteGroupBuilder control)
    {
        control.MapGet("/", async (HttpContext http, EmulatorDb db, EmulatorClock clock) =>
        {
            var tenants = await db.Tenants.Where(t => !t.IsPartner).OrderBy(t => t.Seq).ToListAsync();
            var users = await db.Users.Where(u => u.State == UserStates.Active).OrderBy(u => u.Seq).ToListAsync();
            var subscriptions = await db.Subscriptions.OrderBy(s => s.Seq).ToListAsync();
            var h = HtmlEncoder.Default;
            var message = http.Request.Query["message"].ToString();
            var html = new StringBuilder();
            html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .Append("<title>Partner Center emulator</title><style>body{font-family:system-ui,sans-serif;margin:1rem;max-width:70rem}table{border-collapse:collapse;width:100%;margin-bottom:1rem}")
                .Append("th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}form{display:grid;gap:.5rem;max-width:28rem}</style></head><body>")
                .Append("<h1>Partner Center emulator</h1>")
                .Append($"<p>Emulator time: <time>{h.Encode(clock.GetUtcNow().ToString("u"))}</time></p>");
            if (message.Length > 0) html.Append($"<p role=\"status\">{h.Encode(message)}</p>");
            html.Append("<p>This page refreshes every 5 seconds.</p><script>setTimeout(()=>location.reload(),5000)</script>");
            foreach (var t in tenants)
            {
                html.Append($"<section aria-label=\"{h.Encode(t.CompanyName)}\"><h2>{h.Encode(t.CompanyName)} <small>{h.Encode(t.Domain)}</small></h2><p>Tenant id {t.Id}</p>");
                html.Append("<h3>Users</h3><table><thead><tr><th>User principal name</th><th>Display name</th><th>Usage location</th><th>Licenses</th></tr></thead><tbody>");
                foreach (var u in users.Where(u => u.TenantId == t.Id))
                {
                    var licenses = string.Join(", ", u.Licenses.Select(l => Catalog.CatalogData.ByGraphSku(l.SkuId)?.SkuPartNumber));
                    html.Append($"<tr><td>{h.Encode(u.UserPrincipalName)}</td><td>{h.Encode(u.DisplayName)}</td><td>{h.Encode(u.UsageLocation ?? "")}</td><td>{h.Encode(licenses)}</td></tr>");
                }
                html.Append("</tbody></table><h3>Subscriptions</h3><table><thead><tr><th>Offer</th><th>Friendly name</th><th>Quantity</th><th>Status</th><th>Term</th><th>Term end</th><th>Auto-renew</th></tr></thead><tbody>");
                foreach (var s in subscriptions.Where(s => s.TenantId == t.Id))
                {
                    html.Append($"<tr><td>{h.Encode(s.OfferName)}</td><td>{h.Encode(s.FriendlyName)}</td><td>{s.Quantity}</td><td>{s.Status}</td><td>{s.TermDuration} {s.BillingCycle}</td><td>{s.CommitmentEndDate:yyyy-MM-dd}</td><td>{(s.AutoRenewEnabled ? "on" : "off")}</td></tr>");
                }
                html.Append("</tbody></table></section>");
            }
            html.Append("<h2>Create a user in Partner Center</h2><form method=\"post\" action=\"/_emulator/users\">")
                .Append("<label>Tenant <select name=\"tenantId\" required>");
            foreach (var t in tenants) html.Append($"<option value=\"{t.Id}\">{h.Encode(t.CompanyName)} ({h.Encode(t.Domain)})</option>");
            html.Append("</select></label>")
                .Append("<label>User name (before @) <input name=\"userName\" required></label>")
                .Append("<label>First name <input name=\"firstName\"></label>")
                .Append("<label>Last name <input name=\"lastName\"></label>")
                .Append("<label>Display name <input name=\"displayName\" required></label>")
                .Append("<label>Usage location <input name=\"usageLocation\" maxlength=\"2\"></label>")
                .Append("<label>Password <input name=\"password\" type=\"password\" required></label>")
                .Append("<button type=\"submit\">Create user</button></form></body></html>");
            return Results.Content(html.ToString(), "text/html; charset=utf-8");
        });

        control.MapPost("/users", async (HttpContext http, EmulatorDb db, EmulatorClock clock) =>
        {
            if (!http.Request.HasFormContentType)
            {
                return Results.Problem("This is the inspection page's form: post it as application/x-www-form-urlencoded.", statusCode: 415);
            }
            var form = await http.Request.ReadFormAsync();
            string Field(string name) => form[name].ToString().Trim();
            var tenant = Guid.TryParse(Field("tenantId"), out var tenantId) ? await db.Tenants.FindAsync(tenantId) : null;
            if (tenant is null || tenant.IsPartner) return Results.Redirect("/_emulator/?message=" + Uri.EscapeDataString("Choose a customer tenant."));
            var upn = $"{Field("userName")}@{tenant.Domain}";
            var refusal = await TenantDirectory.CheckUserPrincipalNameAsync(db, tenant, upn, null);
            if (refusal == DirectoryRefusal.None && !PasswordPolicy.IsValid(Field("password"))) refusal = DirectoryRefusal.WeakPassword;
            if (refusal == DirectoryRefusal.None && Field("displayName").Length == 0) return Results.Redirect("/_emulator/?message=" + Uri.EscapeDataString("Display name is required."));
            var location = Field("usageLocation").ToUpperInvariant();
            if (refusal == DirectoryRefusal.None && location.Length > 0 && !TenantDirectory.IsValidUsageLocation(location)) refusal = DirectoryRefusal.InvalidUsageLocation;
            if (refusal != DirectoryRefusal.None) return Results.Redirect("/_emulator/?message=" + Uri.EscapeDataString(TenantDirectory.Message(refusal)));
            await TenantDirectory.AddUserAsync(db, tenant, new DirectoryUser
            {
                UserPrincipalName = upn,
                DisplayName = Field("displayName"),
                GivenName = Field("firstName") is { Length: > 0 } f ? f : null,
                Surname = Field("lastName") is { Length: > 0 } l ? l : null,
                UsageLocation = location.Length > 0 ? location : null,
                Password = Field("password"),
                ForceChangePassword = true,
            }, clock.UtcNow);
            await db.SaveChangesAsync();
            return Results.Redirect("/_emulator/?message=" + Uri.EscapeDataString($"Created {upn}."));
        }).DisableAntiforgery();
    }
}
