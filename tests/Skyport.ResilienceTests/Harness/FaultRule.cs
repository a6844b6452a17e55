namespace Skyport.ResilienceTests.Harness;

/// <summary>One of the emulator's injected faults (<c>PUT /_emulator/faults</c>): kind throttle, error, delay or drop.</summary>
public sealed record FaultRule(string Kind, double Rate, string Method = "*", string PathPattern = "*", int? Status = null, int RetryAfterSeconds = 1, int DelayMs = 0, int? Times = null)
{
    public static FaultRule Throttle(double rate, int retryAfterSeconds = 1) => new("throttle", rate, RetryAfterSeconds: retryAfterSeconds);

    public static FaultRule Error(double rate, int status) => new("error", rate, Status: status, RetryAfterSeconds: status == 503 ? 1 : 0);

    public static FaultRule Delay(double rate, int delayMs, string method = "*", string pathPattern = "*") => new("delay", rate, method, pathPattern, DelayMs: delayMs);

    /// <summary>The request is done, then the connection is cut: the answer is lost.</summary>
    public static FaultRule Drop(double rate) => new("drop", rate);
}
