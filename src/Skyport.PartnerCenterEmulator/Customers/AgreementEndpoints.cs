using Microsoft.EntityFrameworkCore;
using Skyport.PartnerCenterEmulator.Core;

namespace Skyport.PartnerCenterEmulator.Customers;

/// <summary>
/// The Microsoft Customer Agreement: its template (get-customer-agreement-metadata), the partner's attestation of a
/// customer's acceptance (confirm-customer-consent-customer-agreement) and the list (get-confirmation-of-customer-agreement).
/// </summary>
public static class AgreementEndpoints
{
    public const string CustomerAgreement = "MicrosoftCustomerAgreement";
    public const string CloudAgreement = "MicrosoftCloudAgreement";
    /// <summary>The template id of Microsoft's example; treat it as opaque.</summary>
    public const string TemplateId = "117a77b0-9360-443b-8795-c6dedc750cf9";
    public const string AgreementLink = "https://aka.ms/customeragreement";

    public static void Map(IEndpointRouteBuilder v1)
    {
        v1.MapGet("/agreements", (HttpContext http) =>
        {
            // "If the URI parameter isn't specified, the query defaults to MicrosoftCloudAgreement for backward compatibility."
            var type = Requested(http);
            if (type is null) return Errors.PcInvalid("agreementType must be MicrosoftCloudAgreement, MicrosoftCustomerAgreement or *.", "agreementType");
            var items = type is CustomerAgreement or "*"
                ? new List<object> { new { templateId = TemplateId, agreementType = CustomerAgreement, agreementLink = AgreementLink, versionRank = 0 } }
                : [];
            return Pc.Ok(new { totalCount = items.Count, items, attributes = Pc.Attributes("Collection") });
        }).RequireAppUser(); // App+User only (docs/microsoft-contract.md, table row 4 and §4)

        v1.MapPost("/customers/{customerId}/agreements", async (string customerId, HttpContext http, EmulatorDb db) =>
        {
            if (await CustomerEndpoints.FindAsync(db, customerId) is not { } tenant) return CustomerEndpoints.NotFound(customerId);
            var (body, error) = await Pc.BodyAsync(http);
            if (error is not null) return error;
            var contact = body!.Object("primaryContact", required: true);
            var firstName = contact?.String("firstName", required: true);
            var lastName = contact?.String("lastName", required: true);
            var email = contact?.String("email", required: true);
            var phone = contact?.String("phoneNumber");
            body.Absorb(contact, "primaryContact");
            var dateAgreed = body.String("dateAgreed", required: true);
            var templateId = body.String("templateId", required: true);
            var type = body.String("type", required: true);
            if (Pc.Invalid(body) is { } invalid) return invalid;
            if (!DateTimeOffset.TryParse(dateAgreed, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out _))
                return Errors.PcInvalid("Invalid property: dateAgreed must be a date and time in UTC.", "dateAgreed");
            if (type != CustomerAgreement) return Errors.PcInvalid("Invalid property: type must be MicrosoftCustomerAgreement.", "type");
            if (!templateId!.Equals(TemplateId, StringComparison.OrdinalIgnoreCase)) return Errors.PcInvalid("Invalid property: templateId is not a Microsoft Customer Agreement template.", "templateId");
            if (!email!.Contains('@')) return Errors.PcInvalid("Invalid property: primaryContact.email is not an email address.", "primaryContact.email");
            var agreed = new AgreementContact(firstName!, lastName!, email, phone);
            if (tenant.Agreements.Any(a => a.PrimaryContact == agreed))
            {
                // Documented body (confirm-customer-consent-customer-agreement); its status is not, 409 is the emulator's choice.
                return Results.Json(new
                {
                    code = 600061,
                    message = "A partner confirmed agreement already exists for the customer.",
                    description = "A partner confirmed agreement already exists for the customer.",
                    errorName = "PartnerConfirmedAgreementAlreadyExists",
                    isRetryable = false,
                    parameters = new { },
                    errorMessageExtended = "InternalErrorCode=600061",
                }, Json.Pc, statusCode: 409);
            }
            // "Partner Center automatically derives the userId attribute value from the App+User token": the emulator has
            // no partner users yet, so it names one stable id per partner.
            var agreement = new CustomerAgreement(CustomerAgreement, TemplateId, agreed, dateAgreed!, PartnerUserId(http));
            tenant.Agreements = [.. tenant.Agreements, agreement];
            await db.SaveChangesAsync();
            return Pc.Ok(AgreementJson(agreement), 201);
        }).RequireAppUser(); // App+User only (docs/microsoft-contract.md, table row 4 and §4)

        v1.MapGet("/customers/{customerId}/agreements", async (string customerId, HttpContext http, EmulatorDb db) =>
        {
            if (await CustomerEndpoints.FindAsync(db, customerId) is not { } tenant) return CustomerEndpoints.NotFound(customerId);
            var type = Requested(http);
            if (type is null) return Errors.PcInvalid("agreementType must be MicrosoftCloudAgreement, MicrosoftCustomerAgreement or *.", "agreementType");
            var items = tenant.Agreements.Where(a => type == "*" || a.Type == type).Select(AgreementJson).ToList();
            return Pc.Ok(new { totalCount = items.Count, items, attributes = Pc.Attributes("Collection") });
        }).RequireAppUser(); // App+User only (docs/microsoft-contract.md, table row 4 and §4)
    }

    public static bool HasCustomerAgreement(Tenant tenant) => tenant.Agreements.Any(a => a.Type == CustomerAgreement);

    /// <summary>Microsoft's error for a purchase without an attested agreement (error-codes: Forbidden, 403, 13605).</summary>
    public static IResult AgreementMissing() => Errors.Pc(403, 13605,
        "Either a partner confirmation of the customer acceptance of the Microsoft Customer Agreement must be provided or the customer must accept the Microsoft Customer Agreement in the Microsoft Admin Center before you can complete this purchase");

    private static string? Requested(HttpContext http)
    {
        var text = http.Request.Query["agreementType"].ToString();
        if (text.Length == 0) return CloudAgreement;
        if (text == "*") return "*";
        return new[] { CloudAgreement, CustomerAgreement }.FirstOrDefault(t => t.Equals(text, StringComparison.OrdinalIgnoreCase));
    }

    private static Guid PartnerUserId(HttpContext http) => new(System.Security.Cryptography.MD5.HashData(http.TokenTenant().ToByteArray()));

    private static object AgreementJson(CustomerAgreement a) => new
    {
        primaryContact = new { firstName = a.PrimaryContact.FirstName, lastName = a.PrimaryContact.LastName, email = a.PrimaryContact.Email, phoneNumber = a.PrimaryContact.PhoneNumber },
        templateId = a.TemplateId,
        dateAgreed = a.DateAgreed,
        type = a.Type,
        agreementLink = AgreementLink,
        userId = a.UserId,
        attributes = Pc.Attributes("Agreement"),
    };
}
