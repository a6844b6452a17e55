using System.Text.RegularExpressions;
using Skyport.Features.Organizations;

namespace Skyport.Features.Tenants;

/// <summary>What Microsoft asks of a new customer tenant, checked before anything is sent to Partner Center.</summary>
public static partial class OnboardingRules
{
    public const string TenantDomainSuffix = ".onmicrosoft.com";
    public const int MaxPrefixLength = 27;

    // Countries whose addresses Microsoft validates with a state or province.
    private static readonly HashSet<string> CountriesWithStates = ["AR", "AU", "BR", "CA", "CN", "IN", "JP", "MX", "MY", "US"];

    public sealed record MissingField(string Field, string Label);

    /// <summary>The address fields Microsoft requires that the organization's properties lack.</summary>
    public static IReadOnlyList<MissingField> MissingAddressFields(Address address)
    {
        var missing = new List<MissingField>();
        if (string.IsNullOrWhiteSpace(address.Line1))
        {
            missing.Add(new("address.line1", "address line 1"));
        }
        if (string.IsNullOrWhiteSpace(address.City))
        {
            missing.Add(new("address.city", "city"));
        }
        if (string.IsNullOrWhiteSpace(address.PostalCode))
        {
            missing.Add(new("address.postalCode", "postal code"));
        }
        if (string.IsNullOrWhiteSpace(address.Country))
        {
            missing.Add(new("address.country", "country"));
        }
        else if (CountriesWithStates.Contains(address.Country) && string.IsNullOrWhiteSpace(address.State))
        {
            missing.Add(new("address.state", "state or region"));
        }
        return missing;
    }

    // Microsoft asks customers in these countries for an organization registration number and a phone number.
    private static readonly HashSet<string> RegistrationNumberCountries = ["AM", "AZ", "BY", "HU", "KG", "KZ", "MD", "RU", "TJ", "UA", "UZ"];

    /// <summary>Why Skyport cannot onboard a customer of this country yet, if it cannot.</summary>
    public static string? UnsupportedCountry(Address address) =>
        address.Country is { } country && RegistrationNumberCountries.Contains(country)
            ? $"Microsoft asks customers in {country} for an organization registration number, which Skyport does not collect yet. Ask your reseller to onboard this customer in Partner Center."
            : null;

    /// <summary>Contact fields the admin user and the credentials email need.</summary>
    public static IReadOnlyList<MissingField> MissingContactFields(Contact contact)
    {
        var missing = new List<MissingField>();
        if (string.IsNullOrWhiteSpace(contact.FirstName))
        {
            missing.Add(new("contact.firstName", "contact first name"));
        }
        if (string.IsNullOrWhiteSpace(contact.LastName))
        {
            missing.Add(new("contact.lastName", "contact last name"));
        }
        if (string.IsNullOrWhiteSpace(contact.Email) || !OrganizationRules.IsEmail(contact.Email))
        {
            missing.Add(new("contact.email", "contact email"));
        }
        return missing;
    }

    /// <summary>A prefix for <c>&lt;prefix&gt;.onmicrosoft.com</c>: letters and digits only, 1 to 27 of them.</summary>
    public static string? DomainPrefixError(string? prefix)
    {
        if (string.IsNullOrWhiteSpace(prefix))
        {
            return "Enter the domain prefix, such as 'northwind' for northwind.onmicrosoft.com.";
        }
        if (prefix.Length > MaxPrefixLength)
        {
            return $"The domain prefix can have at most {MaxPrefixLength} characters.";
        }
        return PrefixPattern().IsMatch(prefix) ? null : "The domain prefix can have only letters (a–z) and digits, with no spaces, dots or hyphens.";
    }

    public static string Domain(string prefix) => prefix.Trim().ToLowerInvariant() + TenantDomainSuffix;

    /// <summary>The admin user's sign-in name, from the contact's first name: <c>nancy@northwind.onmicrosoft.com</c>.</summary>
    public static string AdminUserPrincipalName(Contact contact, string domain)
    {
        var local = new string((contact.FirstName ?? "admin").Select(Unaccent).Where(char.IsAsciiLetterOrDigit).ToArray()).ToLowerInvariant();
        return $"{(local.Length == 0 ? "admin" : local)}@{domain}";
    }

    // The app runs in invariant globalization mode, where string normalization cannot strip accents.
    private const string Accented = "àáâãäåçèéêëìíîïñòóôõöøùúûüýÿÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝ";
    private const string Plain = "aaaaaaceeeeiiiinoooooouuuuyyAAAAAACEEEEIIIINOOOOOOUUUUY";

    private static char Unaccent(char c) => Accented.IndexOf(c) is var i and >= 0 ? Plain[i] : c;

    [GeneratedRegex("^[A-Za-z0-9]+$")]
    private static partial Regex PrefixPattern();
}
