namespace Skyport.Web;

/// <summary>
/// The <c>Idempotency-Key</c> of the current request, with the caller it belongs to, as the idempotency filter saw it.
/// A use case that calls Partner Center keeps its intent under this key, so that a retry finds what the first attempt did.
/// </summary>
public sealed class RequestIdempotency
{
    public Guid? CallerId { get; private set; }
    public string? Key { get; private set; }

    /// <summary>What names one operation across its retries: the caller and the key; null without a key (every request is new).</summary>
    public string? OperationKey => Key is null ? null : $"{CallerId:N}:{Key}";

    /// <summary>The answer describes a passing state (an order Partner Center is still processing): it is not replayed, a retry runs again.</summary>
    public bool Provisional { get; private set; }

    public void AnswerIsProvisional() => Provisional = true;

    internal void Set(Guid callerId, string key) => (CallerId, Key) = (callerId, key);
}
