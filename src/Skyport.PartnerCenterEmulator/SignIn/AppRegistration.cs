using System.Text.Json;
using Skyport.PartnerCenterEmulator.Core;

namespace Skyport.PartnerCenterEmulator.SignIn;

/// <summary>
/// The partner's application registration as Entra keeps it: the redirect URIs an authorize request may name
/// (v2-oauth2-auth-code-flow: "It must exactly match one of the redirect URIs you registered"). Saved in the state file.
/// </summary>
public sealed class AppRegistration
{
    private const string MetaKey = "redirectUris";
    private readonly Lock _lock = new();
    private HashSet<string> _redirectUris = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> RedirectUris
    {
        get
        {
            lock (_lock) return [.. _redirectUris];
        }
    }

    public bool IsRegistered(string redirectUri)
    {
        lock (_lock) return _redirectUris.Contains(redirectUri);
    }

    public void Load(EmulatorDb db, EmulatorOptions options)
    {
        var saved = db.Meta.Find(MetaKey) is { } row ? JsonSerializer.Deserialize<List<string>>(row.Value) ?? [] : [];
        lock (_lock) _redirectUris = new HashSet<string>([.. saved, .. options.RedirectUris], StringComparer.Ordinal);
    }

    public async Task AddAsync(EmulatorDb db, string redirectUri)
    {
        List<string> all;
        lock (_lock)
        {
            _redirectUris.Add(redirectUri);
            all = [.. _redirectUris];
        }
        var json = JsonSerializer.Serialize(all);
        if (await db.Meta.FindAsync(MetaKey) is { } row) row.Value = json;
        else db.Meta.Add(new MetaValue { Key = MetaKey, Value = json });
        await db.SaveChangesAsync();
    }
}
