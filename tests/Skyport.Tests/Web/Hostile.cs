using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using CsCheck;

namespace Skyport.Tests.Web;

/// <summary>
/// Generators of hostile input: strings with NUL, lone surrogates, huge and odd unicode; numbers out of every range;
/// JSON that is malformed, deeply nested or of the wrong shape; and JSON shaped by a request type whose every field
/// may be missing, null, of the wrong type or absurd. Ids come from a pool of real ones and from junk.
/// </summary>
public sealed class Hostile(IReadOnlyList<Guid> realIds)
{
    private const int MaxDepth = 4;

    public static readonly Gen<string> Strings = Gen.Frequency(
        (4, Gen.OneOf("", " ", "a", "Northwind", "admin@northwind.example", "x@y", "DE", "EUR", "US", "0", "-1", "15", "2026-01-01", "null", "true", "CFQ7TTC0LH18:0001:CFQ7TTC0K971")),
        (3, Gen.String),
        (2, Gen.OneOf("\0", "a\0b", "\ud800", "x\udfffy", "\udc00\ud800", "\ufeff", "\ufffe", "💥", "ß", "İ", "\u202e", "\r\n", "<script>alert(1)</script>",
            "'; DROP TABLE organizations; --", "../../etc/passwd", "%00", "{{x}}", "=cmd|' /C calc'!A0", "Ｆａｂｒｉｋａｍ", "a\u0301")),
        (1, Gen.Int[300, 70_000].Select(n => new string('x', n))),
        (1, Gen.Char.Array[1, 40].Select(c => new string(c))));

    public static readonly Gen<string> Numbers = Gen.Frequency(
        (3, Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture))),
        (3, Gen.OneOf("0", "-0", "1", "-1", "1.5", "0.001", "1e400", "-1e400", "1e-400", "2147483648", "-2147483649", "9223372036854775808",
            "79228162514264337593543950336", "0.00000000000000000000000000001", "1E+2", "123456789012345678901234567890.5")),
        (1, Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "0")));

    public static readonly Gen<string> Leaf = Gen.Frequency(
        (1, Gen.OneOf("null", "true", "false")),
        (2, Numbers),
        (3, Strings.Select(Quote)));

    /// <summary>Any JSON value, or text that is almost JSON.</summary>
    public static readonly Gen<string> AnyJson = Gen.Recursive<string>((depth, inner) => depth >= 3
        ? Leaf
        : Gen.Frequency(
            (4, Leaf),
            (1, inner.Array[0, 4].Select(items => "[" + string.Join(",", items) + "]")),
            (1, Gen.Select(Strings, inner).Array[0, 4].Select(pairs => "{" + string.Join(",", pairs.Select(p => Quote(p.Item1) + ":" + p.Item2)) + "}"))));

    /// <summary>Bodies that are not a JSON object at all, or not JSON.</summary>
    public static readonly Gen<string> Malformed = Gen.Frequency(
        (3, AnyJson),
        (1, Gen.Int[64, 5000].Select(n => new string('[', n) + new string(']', n))),
        (1, Gen.Int[64, 5000].Select(n => string.Concat(Enumerable.Repeat("{\"a\":", n)) + "1" + new string('}', n))),
        (2, Gen.OneOf("", "{", "}", "{\"a\":}", "[1,2,3]", "[{}]", "\"text\"", "null", "{\"a\":1,}", "{'a':1}", "{\"a\":NaN}", "{\"a\":\"\\ud800\"}",
            "{\"a\":\"\\u0000\"}", "{\"name\":\"\\uDFFF\"}", "\ufeff{}", "{\"a\":1}{\"b\":2}", "{\"__proto__\":{}}", "<xml/>", "a,b,c\n1,2,3")),
        (1, Strings));

    /// <summary>A JSON object shaped like the request type, each field possibly missing, null, wrong or absurd.</summary>
    public Gen<string> ObjectOf(Type type) => Shaped(type, 0, topLevel: true);

    public Gen<string> Ids => Gen.Frequency(
        (4, Gen.Int[0, Math.Max(0, realIds.Count - 1)].Select(i => realIds.Count == 0 ? Guid.NewGuid().ToString() : realIds[i].ToString())),
        (1, Gen.Guid.Select(g => g.ToString())),
        (1, Gen.OneOf("0", "-1", "abc", "00000000-0000-0000-0000-000000000000", "{" + Guid.Empty + "}", " ", "null", "💥", "..", "x%00")),
        (1, Strings));

    /// <summary>A value for a query string or form field of this type.</summary>
    public Gen<string> TextFor(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(Guid)) return Ids;
        if (t == typeof(int) || t == typeof(long) || t == typeof(decimal) || t == typeof(double)) return Gen.Frequency((3, Gen.OneOf("1", "2", "15", "50")), (3, Numbers), (1, Strings));
        if (t == typeof(bool)) return Gen.Frequency((3, Gen.OneOf("true", "false", "on")), (1, Strings));
        if (t.IsEnum) return Gen.Frequency((3, Gen.OneOf(Enum.GetNames(t))), (1, Numbers), (1, Strings));
        return Strings;
    }

    private Gen<string> Shaped(Type type, int depth, bool topLevel = false)
    {
        var wellTyped = WellTyped(type, depth);
        return topLevel || depth > MaxDepth ? wellTyped : Gen.Frequency((10, wellTyped), (1, AnyJson), (1, Gen.Const("null")));
    }

    private Gen<string> WellTyped(Type type, int depth)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(string)) return Strings.Select(Quote);
        if (t == typeof(bool)) return Gen.OneOf("true", "false");
        if (t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(decimal) || t == typeof(double))
            return Gen.Frequency((3, Gen.OneOf("0", "1", "2", "3", "15", "100", "-1")), (2, Numbers));
        if (t == typeof(Guid)) return Ids.Select(Quote);
        if (t.IsEnum) return Gen.Frequency((4, Gen.OneOf(Enum.GetNames(t)).Select(n => Quote(JsonNamingPolicy.CamelCase.ConvertName(n)))), (1, Numbers), (1, Strings.Select(Quote)));
        if (t == typeof(DateOnly) || t == typeof(DateTime) || t == typeof(DateTimeOffset))
            return Gen.OneOf("2026-01-01", "2026-02-30", "0001-01-01", "9999-12-31T23:59:59Z", "2026-01-01T00:00:00+14:00", "yesterday", "").Select(Quote);
        if (t == typeof(JsonElement) || t == typeof(object) || t.Namespace == "System.Text.Json.Nodes") return AnyJson;
        if (depth > MaxDepth) return Gen.Const("null");
        if (ElementType(t) is { } element)
        {
            return Gen.Frequency(
                (6, Shaped(element, depth + 1).Array[0, 4].Select(items => "[" + string.Join(",", items) + "]")),
                (1, Shaped(element, depth + 1).Array[200, 2000].Select(items => "[" + string.Join(",", items) + "]")));
        }
        var fields = Fields(t);
        if (fields.Count == 0) return AnyJson;
        var perField = fields.Select(f => Gen.Frequency(
            (8, Shaped(f.Type, depth + 1).Select(value => Quote(f.Name) + ":" + value)),
            (1, Gen.Const("")),
            (1, Gen.Const(Quote(f.Name) + ":null")))).ToArray();
        return Gen.Select(perField.Aggregate(Gen.Const(Array.Empty<string>()), (all, next) => Gen.Select(all, next, (a, b) => (string[])[.. a, b])),
            // An unknown member: its name is readable text (a name no string can hold names no field either; Malformed has those).
            Gen.Frequency((6, Gen.Const("")), (1, Gen.Select(Strings, AnyJson, (k, v) => Quote(string.Concat(k.Where(c => !char.IsSurrogate(c)))) + ":" + v))),
            (members, extra) => "{" + string.Join(",", members.Append(extra).Where(m => m.Length > 0)) + "}");
    }

    private static Type? ElementType(Type t)
    {
        if (t == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(t)) return null;
        if (t.IsArray) return t.GetElementType();
        return t.GetInterfaces().Append(t).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
    }

    private static List<(string Name, Type Type)> Fields(Type t)
    {
        var constructor = t.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
        var fromConstructor = constructor?.GetParameters().Select(p => (p.Name!, p.ParameterType)) ?? [];
        var settable = t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => (p.Name, p.PropertyType));
        return [.. fromConstructor.Concat(settable).DistinctBy(f => f.Item1, StringComparer.OrdinalIgnoreCase)
            .Select(f => (JsonNamingPolicy.CamelCase.ConvertName(f.Item1), f.Item2))];
    }

    /// <summary>A JSON string literal that keeps every char, lone surrogates and NUL included, as a \u escape.</summary>
    public static string Quote(string text)
    {
        var json = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            if (c is '"' or '\\') json.Append('\\').Append(c);
            else if (c < ' ' || char.IsSurrogate(c) || c > '\u007e') json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else json.Append(c);
        }
        return json.Append('"').ToString();
    }

    /// <summary>How many iterations a property runs: a fixed, quick number unless SKYPORT_HOSTILE_ITERATIONS asks for more.</summary>
    public static long Iterations(long quick) =>
        long.TryParse(Environment.GetEnvironmentVariable("SKYPORT_HOSTILE_ITERATIONS"), out var asked) && asked > 0 ? asked : quick;

    /// <summary>The seed: a fixed one so that the suite is repeatable; SKYPORT_HOSTILE_SEED replays another (CsCheck prints it on failure).</summary>
    public static string? Seed(string quick) =>
        Environment.GetEnvironmentVariable("SKYPORT_HOSTILE_SEED") switch
        {
            "random" => null,
            { Length: > 0 } asked => asked,
            _ => quick,
        };
}
