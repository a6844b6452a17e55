namespace Skyport.ResilienceTests.Soak;

/// <summary>
/// One kind of request in the soak's mix: when it applies to a customer, how to send it (through <see cref="SoakClient"/>,
/// which retries with the same key), and what a final answer changes in the client's belief. A new operation is one small
/// class listed in <see cref="SoakOperations"/>.
/// </summary>
public abstract class SoakOperation
{
    public abstract string Name { get; }

    /// <summary>How often it is picked, relative to the others that apply.</summary>
    public virtual int Weight => 1;

    public abstract bool CanRun(SoakCustomer customer);

    public abstract Task RunAsync(SoakClient client, SoakCustomer customer);
}
