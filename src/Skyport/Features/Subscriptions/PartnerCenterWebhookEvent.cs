using System.Text.Json;
using Skyport.Web;

namespace Skyport.Features.Subscriptions;

/// <summary>A Partner Center event as Microsoft sends it (PascalCase properties; only those Skyport reads).</summary>
public sealed record PartnerCenterWebhookEvent(string EventName, string ResourceUri)
{
    public static Outcome<PartnerCenterWebhookEvent> Parse(byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return Failure.Invalid("$", "The body is not JSON.");
        }
        using (document)
        {
            try
            {
                return Read(document.RootElement);
            }
            catch (InvalidOperationException)
            {
                // A value escaped as a lone surrogate ("\ud800") is valid JSON but no .NET string can hold it.
                return Failure.Invalid("$", "The body holds text that is not valid Unicode.");
            }
        }
    }

    private static Outcome<PartnerCenterWebhookEvent> Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) return Failure.Invalid("$", "A Partner Center event is a JSON object.");
        if (!root.TryGetProperty(nameof(EventName), out var name) || name.ValueKind != JsonValueKind.String || name.GetString()!.Length == 0)
        {
            return Failure.Invalid(nameof(EventName), "EventName names the event, such as subscription-updated.");
        }
        if (!root.TryGetProperty(nameof(ResourceUri), out var uri) || uri.ValueKind != JsonValueKind.String
            || !Uri.TryCreate(uri.GetString(), UriKind.Absolute, out _))
        {
            return Failure.Invalid(nameof(ResourceUri), "ResourceUri is the absolute URI of the resource that changed.");
        }
        return new PartnerCenterWebhookEvent(name.GetString()!, uri.GetString()!);
    }

    /// <summary>The customer (tenant) id in <c>.../customers/{id}/subscriptions/{sid}</c>.</summary>
    public Guid? CustomerId()
    {
        var segments = new Uri(ResourceUri).AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var index = Array.FindIndex(segments, s => s.Equals("customers", StringComparison.OrdinalIgnoreCase));
        return index >= 0 && index + 1 < segments.Length && Guid.TryParse(segments[index + 1], out var tenant) ? tenant : null;
    }
}
