using System.Net;
using netDumbster.smtp;

namespace Skyport.ResilienceTests.Harness;

/// <summary>
/// A real SMTP server on loopback that Skyport delivers its emails to. An email delivered twice (the process died after the
/// server took it and before Skyport recorded that) carries the same <c>Message-ID</c> both times: such redeliveries are
/// counted apart from distinct emails.
/// </summary>
public sealed class MailServer : IDisposable
{
    private readonly SimpleSmtpServer _server;
    private int _redeliveries;

    public MailServer()
    {
        Port = FreePort.Next();
        _server = Configuration.Configure().WithAddress(IPAddress.Loopback).WithPort(Port).Build();
    }

    public int Port { get; }

    /// <summary>Same emails delivered again, over all the checks so far.</summary>
    public int Redeliveries => _redeliveries;

    public IReadOnlyDictionary<string, string> SkyportSettings => new Dictionary<string, string>
    {
        ["Email__Smtp__Host"] = "127.0.0.1",
        ["Email__Smtp__Port"] = Port.ToString(),
        ["Email__Smtp__Security"] = "None",
    };

    /// <summary>
    /// The distinct emails (by <c>Message-ID</c>) delivered to this address: waits for the first, then a moment more for any
    /// that follow it.
    /// </summary>
    public async Task<IReadOnlyList<SmtpMessage>> DistinctTo(string address, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!To(address).Any() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        await Task.Delay(500);
        var all = To(address);
        var distinct = all.GroupBy(m => m.Headers["Message-ID"]).Select(g => g.First()).ToList();
        Interlocked.Add(ref _redeliveries, all.Count - distinct.Count);
        return distinct;
    }

    /// <summary>The temporary password a credentials email gives.</summary>
    public static string TemporaryPassword(SmtpMessage message) =>
        message.MessageParts[0].BodyData.Split('\n').Single(l => l.StartsWith("Temporary password: ", StringComparison.Ordinal))["Temporary password: ".Length..].Trim();

    private List<SmtpMessage> To(string address) =>
        [.. _server.ReceivedEmail.Where(m => m.ToAddresses.Any(a => string.Equals(a.Address, address, StringComparison.OrdinalIgnoreCase)))];

    public void Dispose() => _server.Dispose();
}
