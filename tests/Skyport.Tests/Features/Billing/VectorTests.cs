using System.Globalization;
using System.Text.Json;
using Skyport.Features.Billing.Preview;

namespace Skyport.Tests.Features.Billing;

/// <summary>Every example vector, read through the preview contract types and compared in full.</summary>
public sealed class VectorTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Features", "Billing", "Vectors");

    public static TheoryData<string> Vectors()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Folder, "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Fact]
    public void The_vectors_are_copied_to_the_test_output()
    {
        Assert.True(Directory.GetFiles(Folder, "tv*.json").Length >= 7);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Vector_rates_to_its_expected_response(string file)
    {
        var vector = JsonSerializer.Deserialize<Vector>(File.ReadAllText(Path.Combine(Folder, file)), BillingPreviewEndpoint.Json);
        Assert.NotNull(vector);

        var actual = Preview.Rate(vector.Request);

        Assert.Equal(Render(vector.Expected), Render(actual));
    }

    /// <summary>The whole response as text, decimals normalised, so a mismatch shows exactly which line differs.</summary>
    internal static string[] Render(BillingPreviewResponse response)
    {
        var lines = new List<string>();
        foreach (var report in response.Reports)
        {
            lines.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"report {report.BillingDate:yyyy-MM-dd} {report.PeriodStart:yyyy-MM-dd}..{report.PeriodEnd:yyyy-MM-dd} {report.Currency} total {report.Total:0.00}"));
            foreach (var subscription in report.Subscriptions)
            {
                lines.Add(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  {subscription.SubscriptionId} (parent {subscription.ParentId ?? "none"}) {subscription.OfferId} total {subscription.Total:0.00}"));
                lines.AddRange(subscription.Lines.Select(line => "    " + Preview.Describe(line)));
            }
        }

        lines.AddRange(response.Rejected.Select(rejected => $"rejected event {rejected.EventIndex}"));
        return [.. lines];
    }

    private sealed record Vector(string Name, string Rule, string Description, BillingPreviewRequest Request, BillingPreviewResponse Expected);
}
