using Skyport.Features.Users;

namespace Skyport.Tests.Features.Users;

public sealed class PasswordPolicyTests
{
    private const string UserName = "avance@contoso.onmicrosoft.com";

    [Theory]
    [InlineData("Xq7!mPw#zR", "")]
    [InlineData("Short7!", "Use at least 8 characters.")]
    [InlineData("lower7!case", "Add an upper-case letter.")]
    [InlineData("UPPER7!CASE", "Add a lower-case letter.")]
    [InlineData("NoDigits!here", "Add a digit.")]
    [InlineData("NoSymbol7here", "Add a symbol such as ! # $ % or &.")]
    [InlineData("Under_score7x", "Add a symbol such as ! # $ % or &.")]
    [InlineData("With space7X", "")]
    [InlineData("Umlaut7!ä_X", "Use only letters A–Z, digits, spaces and the symbols")]
    [InlineData("Xavance7!", "Do not use the user name in the password.")]
    [InlineData("XAVANCE7!q", "Do not use the user name in the password.")]
    [InlineData("My!Adele7x", "Do not use \"Adele\", a part of the name, in the password.")]
    [InlineData("My!vance7X", "Do not use \"Vance\", a part of the name, in the password.")]
    [InlineData("Ad!7Ve-xyz", "")] // "Ad" is shorter than 3 characters and "Ve" too
    public void Each_broken_rule_is_named(string password, string expected)
    {
        var broken = PasswordPolicy.Check(password, UserName, "Adele", "Vance", "Adele Vance");
        if (expected.Length == 0)
        {
            Assert.Empty(broken);
        }
        else
        {
            Assert.Contains(broken, m => m.StartsWith(expected, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void An_empty_password_breaks_every_character_rule_at_once()
    {
        var broken = PasswordPolicy.Check("", UserName, "Adele", "Vance");
        Assert.Equal(["Use at least 8 characters.", "Add an upper-case letter.", "Add a lower-case letter.", "Add a digit.", "Add a symbol such as ! # $ % or &."], broken);
    }

    [Fact]
    public void A_password_longer_than_256_characters_is_refused()
    {
        Assert.Contains("Use at most 256 characters.", PasswordPolicy.Check("Aa1!" + new string('x', 253), UserName));
    }

    [Theory]
    [InlineData(new[] { "Jo", "Li" }, new string[0])]
    [InlineData(new[] { "Mary-Jane", "O'Neil" }, new[] { "Mary", "Jane", "Neil" })]
    [InlineData(new[] { "Ada", "ada", "Ada Lovelace" }, new[] { "Ada", "Lovelace" })]
    public void Name_parts_of_three_or_more_characters_count(string[] names, string[] parts)
    {
        Assert.Equal(parts, PasswordPolicy.NameParts(names));
    }

    [Fact]
    public void Generated_passwords_pass_the_policy_and_differ()
    {
        var passwords = Enumerable.Range(0, 200).Select(_ => PasswordPolicy.Generate(UserName, "Adele", "Vance")).ToList();
        Assert.All(passwords, p => Assert.Empty(PasswordPolicy.Check(p, UserName, "Adele", "Vance")));
        Assert.All(passwords, p => Assert.Equal(16, p.Length));
        Assert.Equal(passwords.Count, passwords.Distinct().Count());
    }
}

public sealed class UserNameRulesTests
{
    private const string Domain = "contoso.onmicrosoft.com";

    [Theory]
    [InlineData("adele.vance", null)]
    [InlineData("adele.vance@contoso.onmicrosoft.com", null)]
    [InlineData("o'neil_x-y!z#a^b~c", null)]
    [InlineData("", "Enter the user name.")]
    [InlineData("   ", "Enter the user name.")]
    [InlineData("adele@fabrikam.com", "The user name must end with @contoso.onmicrosoft.com, the tenant's domain.")]
    [InlineData("adele vance", "Use only letters, digits and the symbols '.-_!#^~ in the user name.")]
    [InlineData("adèle", "Use only letters, digits and the symbols '.-_!#^~ in the user name.")]
    [InlineData("adele.", "The user name cannot start or end with a dot, nor have two dots in a row.")]
    [InlineData(".adele", "The user name cannot start or end with a dot, nor have two dots in a row.")]
    [InlineData("ad..ele", "The user name cannot start or end with a dot, nor have two dots in a row.")]
    public void User_names_follow_microsofts_rules(string userName, string? expected)
    {
        Assert.Equal(expected, UserNameRules.Error(userName, Domain));
    }

    [Fact]
    public void At_most_64_characters_before_the_at()
    {
        Assert.Null(UserNameRules.Error(new string('a', 64), Domain));
        Assert.Equal("Use at most 64 characters before the @.", UserNameRules.Error(new string('a', 65), Domain));
    }

    [Fact]
    public void The_user_principal_name_is_lower_case_in_the_tenant_domain()
    {
        Assert.Equal("adele.vance@contoso.onmicrosoft.com", UserNameRules.UserPrincipalName(" Adele.Vance ", Domain));
        Assert.Equal("adele@contoso.onmicrosoft.com", UserNameRules.UserPrincipalName("adele@CONTOSO.onmicrosoft.com", Domain));
    }
}
