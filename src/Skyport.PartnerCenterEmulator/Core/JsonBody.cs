using System.Text.Json;

namespace Skyport.PartnerCenterEmulator.Core;

/// <summary>
/// A request body read the way Partner Center reads it: property names are case-insensitive
/// (PascalCase and camelCase both work), and a value of the wrong type is reported, not guessed.
/// </summary>
public sealed class JsonBody
{
    private readonly JsonElement _root;
    private readonly List<string> _errors = [];

    private JsonBody(JsonElement root) => _root = root;

    public IReadOnlyList<string> Errors => _errors;
    public bool HasErrors => _errors.Count > 0;
    public JsonElement Root => _root;

    /// <summary>Reads the body; null when it is not a JSON object.</summary>
    public static async Task<JsonBody?> ReadAsync(HttpRequest request)
    {
        try
        {
            using var doc = await JsonDocument.ParseAsync(request.Body);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? new JsonBody(doc.RootElement.Clone()) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static JsonBody Of(JsonElement element) => new(element);

    public bool Has(string name) => Find(_root, name) is { ValueKind: not JsonValueKind.Null };

    /// <summary>True when the property is sent as an explicit <c>null</c> (not when it is absent).</summary>
    public bool IsNull(string name) => Find(_root, name) is { ValueKind: JsonValueKind.Null };

    /// <summary>A date sent as an ISO 8601 date or date-time (its UTC day).</summary>
    public DateOnly? Date(string name, bool required = false)
    {
        var text = String(name, required);
        if (text is null) return null;
        if (DateTime.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var at))
        {
            return DateOnly.FromDateTime(at);
        }
        _errors.Add($"{name} must be a date.");
        return null;
    }

    public JsonBody? Object(string name, bool required = false)
    {
        var el = Find(_root, name);
        if (el is null || el.Value.ValueKind == JsonValueKind.Null)
        {
            if (required) _errors.Add($"{name} is required.");
            return null;
        }
        if (el.Value.ValueKind != JsonValueKind.Object)
        {
            _errors.Add($"{name} must be an object.");
            return null;
        }
        return new JsonBody(el.Value);
    }

    public string? String(string name, bool required = false)
    {
        var el = Find(_root, name);
        if (el is null || el.Value.ValueKind == JsonValueKind.Null)
        {
            if (required) _errors.Add($"{name} is required.");
            return null;
        }
        if (el.Value.ValueKind != JsonValueKind.String)
        {
            _errors.Add($"{name} must be a string.");
            return null;
        }
        var value = el.Value.GetString();
        if (required && string.IsNullOrWhiteSpace(value))
        {
            _errors.Add($"{name} is required.");
        }
        return value;
    }

    public int? Int(string name, bool required = false)
    {
        var el = Find(_root, name);
        if (el is null || el.Value.ValueKind == JsonValueKind.Null)
        {
            if (required) _errors.Add($"{name} is required.");
            return null;
        }
        if (el.Value.ValueKind == JsonValueKind.Number && el.Value.TryGetInt32(out var n)) return n;
        _errors.Add($"{name} must be an integer.");
        return null;
    }

    public bool? Bool(string name, bool required = false)
    {
        var el = Find(_root, name);
        if (el is null || el.Value.ValueKind == JsonValueKind.Null)
        {
            if (required) _errors.Add($"{name} is required.");
            return null;
        }
        if (el.Value.ValueKind is JsonValueKind.True or JsonValueKind.False) return el.Value.GetBoolean();
        _errors.Add($"{name} must be true or false.");
        return null;
    }

    /// <summary>An array's elements; null when absent or null.</summary>
    public List<JsonElement>? Array(string name, bool required = false)
    {
        var el = Find(_root, name);
        if (el is null || el.Value.ValueKind == JsonValueKind.Null)
        {
            if (required) _errors.Add($"{name} is required.");
            return null;
        }
        if (el.Value.ValueKind != JsonValueKind.Array)
        {
            _errors.Add($"{name} must be an array.");
            return null;
        }
        return el.Value.EnumerateArray().ToList();
    }

    public List<JsonBody>? Objects(string name, bool required = false)
    {
        var items = Array(name, required);
        if (items is null) return null;
        if (items.Any(i => i.ValueKind != JsonValueKind.Object))
        {
            _errors.Add($"{name} must be an array of objects.");
            return null;
        }
        return items.Select(i => new JsonBody(i)).ToList();
    }

    public List<string>? Strings(string name, bool required = false)
    {
        var items = Array(name, required);
        if (items is null) return null;
        if (items.Any(i => i.ValueKind != JsonValueKind.String))
        {
            _errors.Add($"{name} must be an array of strings.");
            return null;
        }
        return items.Select(i => i.GetString()!).ToList();
    }

    /// <summary>Collects a nested body's errors into this one, prefixed with its name.</summary>
    public void Absorb(JsonBody? nested, string prefix)
    {
        if (nested is null) return;
        _errors.AddRange(nested._errors.Select(e => $"{prefix}.{e}"));
        nested._errors.Clear();
    }

    public void AddError(string error) => _errors.Add(error);

    private static JsonElement? Find(JsonElement obj, string name)
    {
        foreach (var p in obj.EnumerateObject())
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) return p.Value;
        }
        return null;
    }
}
