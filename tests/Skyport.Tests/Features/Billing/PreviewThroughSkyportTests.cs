using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Skyport.Data;
using Skyport.Tests.Infrastructure;

namespace Skyport.Tests.Features.Billing;

/// <summary>The public vectors posted to Skyport's own <c>/api/v1/billing/preview</c>, signed in with an API key.</summary>
public sealed class PreviewThroughSkyportTests(SqliteSkyport app) : IClassFixture<SqliteSkyport>
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Features", "Billing", "Vectors");

    public static TheoryData<string> Vectors() => [.. Directory.GetFiles(Folder, "*.json").Order(StringComparer.Ordinal).Select(f => Path.GetFileName(f))];

    [Theory]
    [MemberData(nameof(Vectors))]
    public async Task Every_vector_rates_to_its_expected_reports_over_http(string file)
    {
        var vector = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Folder, file)))!;
        var client = await app.As(DemoData.Customer.Email);

        var response = await client.PostAsync("/api/v1/billing/preview",
            new StringContent(vector["request"]!.ToJsonString(), Encoding.UTF8, "application/json"));
        var actual = await response.ExpectAsync(HttpStatusCode.OK);

        Assert.True(JsonNode.DeepEquals(Normalize(vector["expected"]!), Normalize(actual!)),
            $"{file}\nexpected {vector["expected"]!.ToJsonString()}\nactual   {actual!.ToJsonString()}");
    }

    [Fact]
    public async Task Anonymous_callers_get_401()
    {
        var response = await app.Anonymous().PostAsync("/api/v1/billing/preview", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    // Numbers compare by value (125.00 and 125 are the same amount).
    private static JsonNode Normalize(JsonNode node) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : Normalize(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(i => i is null ? null : Normalize(i))]),
        JsonValue v when v.TryGetValue<decimal>(out var d) => JsonValue.Create(d / 1.000000000000000000000000000000000m),
        _ => node.DeepClone(),
    };
}
