using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Skyport.PartnerCenterEmulator.SignIn;

/// <summary>Sign-ins under way and the codes they produced, in memory: both live minutes, a restart ends them as a new Entra session would.</summary>
public sealed class SignInFlows
{
    private readonly ConcurrentDictionary<string, (AuthorizeRequest Request, Guid? PasswordCheckedFor, DateTimeOffset Started)> _flows = new();
    private readonly ConcurrentDictionary<string, AuthorizationCode> _codes = new();

    public string Start(AuthorizeRequest request, DateTimeOffset now)
    {
        Sweep(now);
        var id = NewId();
        _flows[id] = (request, null, now);
        return id;
    }

    public (AuthorizeRequest Request, Guid? PasswordCheckedFor)? Find(string flowId) =>
        _flows.TryGetValue(flowId, out var flow) ? (flow.Request, flow.PasswordCheckedFor) : null;

    public void PasswordChecked(string flowId, Guid userId)
    {
        if (_flows.TryGetValue(flowId, out var flow)) _flows[flowId] = flow with { PasswordCheckedFor = userId };
    }

    public void End(string flowId) => _flows.TryRemove(flowId, out _);

    public string IssueCode(AuthorizeRequest request, Guid userId, DateTimeOffset now)
    {
        var code = NewId();
        _codes[code] = new AuthorizationCode(request, userId, now);
        return code;
    }

    public AuthorizationCode? FindCode(string code) => _codes.TryGetValue(code, out var found) ? found : null;

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (id, flow) in _flows)
        {
            if (now - flow.Started > TimeSpan.FromHours(1)) _flows.TryRemove(id, out _);
        }
        foreach (var (code, issued) in _codes)
        {
            // Kept a while after expiry so that a second redemption still says "already redeemed".
            if (now - issued.IssuedAt > TimeSpan.FromHours(1)) _codes.TryRemove(code, out _);
        }
    }

    private static string NewId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
