using Skyport.Features.Organizations;
using Skyport.Features.Tenants;

namespace Skyport.Tests.Features.Tenants;

public sealed class OnboardingRulesTests
{
    private static readonly Address Complete = new() { Line1 = "Königsallee 12", City = "Düsseldorf", PostalCode = "40212", Country = "DE" };

    [Fact]
    public void A_complete_german_address_needs_no_state() =>
        Assert.Empty(OnboardingRules.MissingAddressFields(Complete));

    [Theory]
    [InlineData("US", "address.state")]
    [InlineData("CA", "address.state")]
    [InlineData("AU", "address.state")]
    public void Countries_with_states_need_one(string country, string field) =>
        Assert.Equal([field], OnboardingRules.MissingAddressFields(Complete with { Country = country }).Select(m => m.Field));

    [Fact]
    public void Every_missing_required_field_is_named()
    {
        var missing = OnboardingRules.MissingAddressFields(new Address { Line2 = "Only line 2" });
        Assert.Equal(["address line 1", "city", "postal code", "country"], missing.Select(m => m.Label));
    }

    [Theory]
    [InlineData("northwind", null)]
    [InlineData("Northwind2026", null)]
    [InlineData("a", null)]
    [InlineData("abcdefghijklmnopqrstuvwxyz1", null)]
    [InlineData("abcdefghijklmnopqrstuvwxyz12", "at most 27")]
    [InlineData("north-wind", "only letters")]
    [InlineData("north.wind", "only letters")]
    [InlineData("north wind", "only letters")]
    [InlineData("nörthwind", "only letters")]
    [InlineData("", "Enter the domain prefix")]
    public void Domain_prefixes_are_letters_and_digits_up_to_27(string prefix, string? error)
    {
        var actual = OnboardingRules.DomainPrefixError(prefix);
        if (error is null)
        {
            Assert.Null(actual);
        }
        else
        {
            Assert.Contains(error, actual);
        }
    }

    [Theory]
    [InlineData("Nancy", "nancy@northwind.onmicrosoft.com")]
    [InlineData("Zoë", "zoe@northwind.onmicrosoft.com")]
    [InlineData("Jean-Luc", "jeanluc@northwind.onmicrosoft.com")]
    [InlineData("", "admin@northwind.onmicrosoft.com")]
    public void The_admin_user_is_named_after_the_contact(string firstName, string upn) =>
        Assert.Equal(upn, OnboardingRules.AdminUserPrincipalName(new Contact { FirstName = firstName }, "northwind.onmicrosoft.com"));

    [Fact]
    public void The_contact_needs_names_and_an_email() =>
        Assert.Equal(["contact.firstName", "contact.email"],
            OnboardingRules.MissingContactFields(new Contact { LastName = "Davolio", Email = "nope" }).Select(m => m.Field));
}
