using System.Text.RegularExpressions;
using Skyport.PartnerCenterEmulator.Core;

namespace Skyport.PartnerCenterEmulator.Control;

/// <summary>One injected fault: which requests it hits, how often, and what happens to them.</summary>
public sealed record FaultRule
{
    /// <summary>HTTP method, or "*" for any.</summary>
    public string Method { get; init; } = "*";
    /// <summary>Path with "*" wildcards, e.g. "/v1/customers*".</summary>
    public string PathPattern { get; init; } = "*";
    /// <summary>throttle, error, delay or drop (the request is processed, then the connection is cut before the answer).</summary>
    public string Kind { get; init; } = "throttle";
    public double Rate { get; init; } = 1;
    public int? Status { get; init; }
    public int RetryAfterSeconds { get; init; } = 1;
    public int DelayMs { get; init; }
    /// <summary>Stop after hitting this many requests; null for no limit.</summary>
    public int? Times { get; init; }
}

/// <summary>Decides, from a seeded random source, which requests the configured faults hit.</summary>
public sealed class FaultInjector(EmulatorOptions options)
{
    private readonly Lock _lock = new();
    private List<(FaultRule Rule, Regex Path, int Remaining)> _rules = [];
    private Random _random = new(options.FaultSeed);

    public IReadOnlyList<FaultRule> Rules
    {
        get { lock (_lock) return _rules.Select(r => r.Rule with { Times = r.Rule.Times is null ? null : r.Remaining }).ToList(); }
    }

    public void Set(IEnumerable<FaultRule> rules, int? seed)
    {
        lock (_lock)
        {
            _rules = rules.Select(r => (r, Glob(r.PathPattern), r.Times ?? int.MaxValue)).ToList();
            _random = new Random(seed ?? options.FaultSeed);
        }
    }

    public void Clear() => Set([], null);

    public FaultRule? Pick(string method, string path)
    {
        lock (_lock)
        {
            for (var i = 0; i < _rules.Count; i++)
            {
                var (rule, regex, remaining) = _rules[i];
                if (remaining <= 0) continue;
                if (rule.Method != "*" && !rule.Method.Equals(method, StringComparison.OrdinalIgnoreCase)) continue;
                if (!regex.IsMatch(path)) continue;
                if (_random.NextDouble() >= rule.Rate) continue;
                _rules[i] = (rule, regex, remaining - 1);
                return rule;
            }
            return null;
        }
    }

    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace("\\*", ".*") + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public static readonly string[] Kinds = ["throttle", "error", "delay", "drop"];
}

public static class FaultMiddleware
{
    public static async Task InvokeAsync(HttpContext http, Func<Task> next)
    {
        var path = http.Request.Path.Value ?? "/";
        if (path.StartsWith("/_emulator", StringComparison.OrdinalIgnoreCase))
        {
            await next();
            return;
        }
        var rule = http.RequestServices.GetRequiredService<FaultInjector>().Pick(http.Request.Method, path);
        switch (rule?.Kind)
        {
            case "throttle":
                await Errors.WriteThrottledAsync(http, rule.RetryAfterSeconds);
                return;
            case "error":
                var status = rule.Status ?? 500;
                if (rule.RetryAfterSeconds > 0 && status == 503) http.Response.Headers.RetryAfter = rule.RetryAfterSeconds.ToString();
                var result = Errors.IsGraph(http.Request.Path)
                    ? Errors.Graph(http, status, status == 503 ? "serviceNotAvailable" : "generalException", "An internal server error occurred.")
                    : Errors.Pc(status, status, "An internal server error occurred. Please retry.");
                await result.ExecuteAsync(http);
                return;
            case "delay":
                await Task.Delay(rule.DelayMs, http.RequestAborted);
                await next();
                return;
            case "drop":
                var original = http.Response.Body;
                http.Response.Body = Stream.Null;
                try
                {
                    await next();
                }
                finally
                {
                    http.Response.Body = original;
                }
                http.Abort();
                return;
            default:
                await next();
                return;
        }
    }
}
