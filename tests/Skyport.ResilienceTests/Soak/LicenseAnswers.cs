using Skyport.ResilienceTests.Harness;

namespace Skyport.ResilienceTests.Soak;

public static class LicenseAnswers
{
    /// <summary>What "Subscribe"/"Unsubscribe" answered per user: an ok line means Partner Center now has it so; no answer leaves the users uncertain.</summary>
    public static void Apply(ApiAnswer? answer, IReadOnlyList<SoakUser> users, Guid sku, bool held)
    {
        if (answer is null)
        {
            users.ToList().ForEach(u => u.Uncertain = true);
            return;
        }
        if (answer.Status != 200)
        {
            return;
        }
        foreach (var line in answer.Json.AsArray())
        {
            var user = users.Single(u => u.Id == line!["userId"]!.GetValue<Guid>());
            if (line!["ok"]!.GetValue<bool>())
            {
                if (held) user.Licenses.Add(sku); else user.Licenses.Remove(sku);
            }
        }
    }
}
