namespace Skyport.PartnerCenterEmulator.Users;

/// <summary>Microsoft Entra's password and user principal name rules.</summary>
public static class PasswordPolicy
{
    private const string Symbols = "@#$%^&*-_!+=[]{}|\\:',.?/`~\"();<> ";

    /// <summary>8 to 256 characters from the allowed set, with three of: lowercase, uppercase, digits, symbols.</summary>
    public static bool IsValid(string? password)
    {
        if (password is null || password.Length < 8 || password.Length > 256) return false;
        if (password.Any(c => !(char.IsAsciiLetterOrDigit(c) || Symbols.Contains(c)))) return false;
        var classes = 0;
        if (password.Any(char.IsAsciiLetterLower)) classes++;
        if (password.Any(char.IsAsciiLetterUpper)) classes++;
        if (password.Any(char.IsAsciiDigit)) classes++;
        if (password.Any(c => Symbols.Contains(c))) classes++;
        return classes >= 3;
    }

    private const string UpnCharacters = "'.-_!#^~";

    /// <summary>
    /// alias@domain with the alias from A–Z a–z 0–9 ' . - _ ! # ^ ~, no "." right before "@",
    /// at most 64 characters before "@", 48 after it and 113 in all.
    /// </summary>
    public static bool IsValidUserPrincipalName(string? upn)
    {
        if (upn is null || upn.Length > 113) return false;
        var at = upn.IndexOf('@');
        if (at <= 0 || at != upn.LastIndexOf('@')) return false;
        var alias = upn[..at];
        var domain = upn[(at + 1)..];
        if (alias.Length > 64 || domain.Length == 0 || domain.Length > 48) return false;
        if (alias.EndsWith('.') || alias.StartsWith('.')) return false;
        if (alias.Any(c => !(char.IsAsciiLetterOrDigit(c) || UpnCharacters.Contains(c)))) return false;
        return domain.Contains('.') && domain.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-');
    }

    /// <summary>A password that passes the policy: 16 characters from all four classes.</summary>
    public static string Generate(Random random)
    {
        const string lower = "abcdefghijkmnopqrstuvwxyz", upper = "ABCDEFGHJKLMNPQRSTUVWXYZ", digits = "23456789", symbols = "!#$%&*+-=?@";
        var chars = new List<char>();
        for (var i = 0; i < 4; i++)
        {
            chars.Add(lower[random.Next(lower.Length)]);
            chars.Add(upper[random.Next(upper.Length)]);
            chars.Add(digits[random.Next(digits.Length)]);
            chars.Add(symbols[random.Next(symbols.Length)]);
        }
        return new string(chars.OrderBy(_ => random.Next()).ToArray());
    }
}
