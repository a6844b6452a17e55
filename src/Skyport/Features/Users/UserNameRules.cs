namespace Skyport.Features.Users;

/// <summary>Microsoft Entra's rules for a user principal name (<c>name@domain</c>) in a tenant's domain.</summary>
public static class UserNameRules
{
    public const int MaxLocalLength = 64;
    public const int MaxDomainLength = 48;
    public const int MaxLength = 113;
    private const string AllowedSymbols = "'.-_!#^~";

    /// <summary>The name before the @: what the person typed, with the tenant's domain removed if they typed it.</summary>
    public static string LocalPart(string? userName, string domain)
    {
        var name = (userName ?? "").Trim();
        var suffix = "@" + domain;
        return name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) ? name[..^suffix.Length] : name;
    }

    public static string UserPrincipalName(string? userName, string domain) => $"{LocalPart(userName, domain)}@{domain}".ToLowerInvariant();

    /// <summary>Why the user name cannot be used in this domain, or null when it can.</summary>
    public static string? Error(string? userName, string domain)
    {
        var local = LocalPart(userName, domain);
        if (local.Length == 0)
        {
            return "Enter the user name.";
        }
        if (local.Contains('@'))
        {
            return $"The user name must end with @{domain}, the tenant's domain.";
        }
        if (local.Any(c => !char.IsAsciiLetterOrDigit(c) && !AllowedSymbols.Contains(c)))
        {
            return $"Use only letters, digits and the symbols {AllowedSymbols} in the user name.";
        }
        if (local.StartsWith('.') || local.EndsWith('.') || local.Contains(".."))
        {
            return "The user name cannot start or end with a dot, nor have two dots in a row.";
        }
        if (local.Length > MaxLocalLength)
        {
            return $"Use at most {MaxLocalLength} characters before the @.";
        }
        if (domain.Length > MaxDomainLength || local.Length + 1 + domain.Length > MaxLength)
        {
            return $"The user name and domain together can have at most {MaxLength} characters.";
        }
        return null;
    }
}
