using Skyport.ResilienceTests.Harness;

namespace Skyport.ResilienceTests.Soak;

/// <summary>One of the soak's concurrent clients: its own customers, its own HTTP client, its counts.</summary>
public sealed class SoakClient(int number, ResilienceRig rig, SkyportApi api, IReadOnlyList<SoakCustomer> customers, Random random)
{
    /// <summary>A request still failing after this long is given up (counted as unfinished), as a client would.</summary>
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(30);

    public int Number => number;

    public SkyportApi Api => api;

    public IReadOnlyList<SoakCustomer> Customers => customers;

    public Random Random => random;

    public string Unique(string prefix) => rig.Unique(prefix);

    public int Operations { get; private set; }

    public int Unfinished { get; private set; }

    public Dictionary<string, int> Counts { get; } = [];

    /// <summary>Sends until final; null (and counted) when it never got a final answer.</summary>
    public async Task<ApiAnswer?> SendAsync(string operation, ApiRequest request)
    {
        Operations++;
        var answer = await api.Client.SendUntilFinalAsync(request, Budget);
        var key = answer.IsRetryable ? $"{operation} unfinished" : $"{operation} {answer.Status}";
        Counts[key] = Counts.GetValueOrDefault(key) + 1;
        if (answer.IsRetryable)
        {
            Unfinished++;
            return null;
        }
        return answer;
    }

    public async Task RunAsync(int operations, IReadOnlyList<SoakOperation> mix)
    {
        for (var i = 0; i < operations; i++)
        {
            var customer = customers[random.Next(customers.Count)];
            var possible = mix.Where(o => o.CanRun(customer)).ToList();
            var pick = random.Next(possible.Sum(o => o.Weight));
            var operation = possible.First(o => (pick -= o.Weight) < 0);
            await operation.RunAsync(this, customer);
        }
    }
}
