using System.Security.Cryptography;

namespace Skyport.Features.Users;

/// <summary>
/// The password rules for a Microsoft 365 user, stricter than Microsoft's three-of-four: every character class is
/// needed, and neither the user name nor a part of the person's name may appear in the password.
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 8;
    public const int MaxLength = 256;
    public const int MinNamePartLength = 3;

    // Microsoft Entra accepts these symbols and the blank space besides ASCII letters and digits.
    private const string AllowedSymbols = "@#$%^&*-_!+=[]{}|\\:',.?/`~\"();<> ";

    // Active Directory splits a full name into parts at these characters before checking the password.
    private static readonly char[] NameSeparators = [' ', ',', '.', '-', '_', '#', '\t', '@', '\''];

    /// <summary>Every rule the password breaks, as a message a person understands; empty when it is acceptable.</summary>
    public static IReadOnlyList<string> Check(string? password, string? userName, params string?[] names)
    {
        password ??= "";
        var broken = new List<string>();
        if (password.Length < MinLength)
        {
            broken.Add($"Use at least {MinLength} characters.");
        }
        if (password.Length > MaxLength)
        {
            broken.Add($"Use at most {MaxLength} characters.");
        }
        if (!password.Any(char.IsAsciiLetterUpper))
        {
            broken.Add("Add an upper-case letter.");
        }
        if (!password.Any(char.IsAsciiLetterLower))
        {
            broken.Add("Add a lower-case letter.");
        }
        if (!password.Any(char.IsAsciiDigit))
        {
            broken.Add("Add a digit.");
        }
        if (!password.Any(c => !char.IsLetterOrDigit(c) && c != '_'))
        {
            broken.Add("Add a symbol such as ! # $ % or &.");
        }
        if (password.Any(c => !char.IsAsciiLetterOrDigit(c) && !AllowedSymbols.Contains(c)))
        {
            broken.Add($"Use only letters A–Z, digits, spaces and the symbols {AllowedSymbols.Trim()}.");
        }
        var local = userName?.Split('@')[0].Trim() ?? "";
        if (local.Length >= MinNamePartLength && password.Contains(local, StringComparison.OrdinalIgnoreCase))
        {
            broken.Add("Do not use the user name in the password.");
        }
        foreach (var part in NameParts(names))
        {
            if (password.Contains(part, StringComparison.OrdinalIgnoreCase))
            {
                broken.Add($"Do not use \"{part}\", a part of the name, in the password.");
            }
        }
        return broken;
    }

    public static bool IsAcceptable(string? password, string? userName, params string?[] names) => Check(password, userName, names).Count == 0;

    /// <summary>The parts of the names that a password must not contain (3 or more characters), without repeats.</summary>
    public static IReadOnlyList<string> NameParts(IEnumerable<string?> names) =>
        [.. names.Where(n => !string.IsNullOrWhiteSpace(n))
            .SelectMany(n => n!.Split(NameSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(p => p.Length >= MinNamePartLength)
            .DistinctBy(p => p.ToLowerInvariant())];

    /// <summary>A random 16-character password with every character class that passes <see cref="Check"/> for this person.</summary>
    public static string Generate(string? userName, params string?[] names)
    {
        // No look-alike characters (I, l, O, 0, 1): the password is read from an email and typed.
        const string upper = "ABCDEFGHJKLMNPQRSTUVWXYZ", lower = "abcdefghijkmnopqrstuvwxyz", digits = "23456789", symbols = "!#$%&*+-=?@";
        const string all = upper + lower + digits + symbols;
        while (true)
        {
            var chars = new char[16];
            chars[0] = upper[RandomNumberGenerator.GetInt32(upper.Length)];
            chars[1] = lower[RandomNumberGenerator.GetInt32(lower.Length)];
            chars[2] = digits[RandomNumberGenerator.GetInt32(digits.Length)];
            chars[3] = symbols[RandomNumberGenerator.GetInt32(symbols.Length)];
            for (var i = 4; i < chars.Length; i++)
            {
                chars[i] = all[RandomNumberGenerator.GetInt32(all.Length)];
            }
            RandomNumberGenerator.Shuffle(chars.AsSpan());
            var password = new string(chars);
            if (IsAcceptable(password, userName, names))
            {
                return password;
            }
        }
    }
}
