using System.Net.Mail;
using System.Text.RegularExpressions;

namespace Skyport.Features.Organizations;

/// <summary>Field rules for organization properties and billing settings, shared by the pages and the API.</summary>
public static partial class OrganizationRules
{
    public const int MaxNameLength = 200;

    public static Dictionary<string, string[]> ValidateProperties(string? companyName, Address? address, Contact? contact)
    {
        var errors = new Errors();
        if (string.IsNullOrWhiteSpace(companyName))
        {
            errors.Add("companyName", "Enter the company name.");
        }
        else if (companyName.Trim().Length > MaxNameLength)
        {
            errors.Add("companyName", $"The company name can have at most {MaxNameLength} characters.");
        }

        address ??= new Address();
        errors.MaxLength("address.line1", address.Line1, 200);
        errors.MaxLength("address.line2", address.Line2, 200);
        errors.MaxLength("address.city", address.City, 100);
        errors.MaxLength("address.state", address.State, 100);
        errors.MaxLength("address.postalCode", address.PostalCode, 20);
        if (!string.IsNullOrWhiteSpace(address.Country) && !IsoCodes.Countries.Contains(address.Country.Trim().ToUpperInvariant()))
        {
            errors.Add("address.country", $"'{address.Country}' is not an ISO 3166 country code (two letters, such as DE or US).");
        }

        contact ??= new Contact();
        errors.MaxLength("contact.firstName", contact.FirstName, 100);
        errors.MaxLength("contact.lastName", contact.LastName, 100);
        if (!string.IsNullOrWhiteSpace(contact.Email) && !IsEmail(contact.Email.Trim()))
        {
            errors.Add("contact.email", $"'{contact.Email}' is not an email address.");
        }
        if (!string.IsNullOrWhiteSpace(contact.Phone) && (!PhonePattern().IsMatch(contact.Phone.Trim()) || contact.Phone.Trim().Length > 30))
        {
            errors.Add("contact.phone", "A phone number has digits, spaces and + - ( ) only, at most 30 characters.");
        }
        return errors.ToDictionary();
    }

    /// <param name="sellingCurrency">The currency of the catalog and price lists: reports are in it, so a reseller is billed in it too.</param>
    public static Dictionary<string, string[]> ValidateBilling(int? cycleEndDay, string? currency, string sellingCurrency)
    {
        var errors = new Errors();
        if (cycleEndDay is null)
        {
            errors.Add("cycleEndDay", "Enter the day of the month the billing cycle ends (1–31).");
        }
        else if (cycleEndDay is < 1 or > 31)
        {
            errors.Add("cycleEndDay", "The cycle end day must be between 1 and 31.");
        }
        if (string.IsNullOrWhiteSpace(currency))
        {
            errors.Add("currency", "Enter the currency as an ISO 4217 code, such as EUR.");
        }
        else if (!IsoCodes.Currencies.Contains(currency.Trim().ToUpperInvariant()))
        {
            errors.Add("currency", $"'{currency}' is not an ISO 4217 currency code (three letters, such as EUR or USD).");
        }
        else if (!currency.Trim().Equals(sellingCurrency, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add("currency", $"Skyport sells in {sellingCurrency}: the price lists and Microsoft's costs are in {sellingCurrency}, so resellers are billed in {sellingCurrency} too.");
        }
        return errors.ToDictionary();
    }

    public static Address Normalize(Address? address) => address is null ? new Address() : new Address
    {
        Line1 = Clean(address.Line1),
        Line2 = Clean(address.Line2),
        City = Clean(address.City),
        State = Clean(address.State),
        PostalCode = Clean(address.PostalCode),
        Country = Clean(address.Country)?.ToUpperInvariant(),
    };

    public static Contact Normalize(Contact? contact) => contact is null ? new Contact() : new Contact
    {
        FirstName = Clean(contact.FirstName),
        LastName = Clean(contact.LastName),
        Email = Clean(contact.Email),
        Phone = Clean(contact.Phone),
    };

    public const int MaxEmailLength = 254;

    public static bool IsEmail(string value) =>
        value.Length <= MaxEmailLength && MailAddress.TryCreate(value, out var parsed) && parsed.Address == value && value.Contains('.', StringComparison.Ordinal);

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex(@"^\+?[0-9 ()\-]{3,30}$")]
    private static partial Regex PhonePattern();

    private sealed class Errors
    {
        private readonly Dictionary<string, List<string>> _errors = [];

        public void Add(string field, string message)
        {
            if (!_errors.TryGetValue(field, out var list))
            {
                _errors[field] = list = [];
            }
            list.Add(message);
        }

        public void MaxLength(string field, string? value, int max)
        {
            if (value is not null && value.Trim().Length > max)
            {
                Add(field, $"At most {max} characters.");
            }
        }

        public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }
}
