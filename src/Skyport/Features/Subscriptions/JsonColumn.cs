using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Skyport.Features.Subscriptions;

/// <summary>A small record stored as JSON in one column (enums by name), so that a value read is equal to the value written.</summary>
public static class JsonColumn<T> where T : class
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static readonly ValueConverter<T?, string?> Converter = new(
        value => value == null ? null : JsonSerializer.Serialize(value, Options),
        text => text == null ? null : JsonSerializer.Deserialize<T>(text, Options));

    public static readonly ValueComparer<T?> Comparer = new((a, b) => Equals(a, b), value => value == null ? 0 : value.GetHashCode(), value => value);
}
