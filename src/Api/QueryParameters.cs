using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Cohorts.Api;

/// <summary>
/// Every operation's query parameters as the OpenAPI document declares them, checked before the operation runs: a
/// parameter it does not take, one given twice, or a value its schema refuses (a type, an enum, a range, a length)
/// answers 400 invalidQuery naming the parameter. The document is the one list of what each operation takes, so the
/// check and the reference cannot drift apart.
/// </summary>
public static class QueryParameters
{
    /// <summary>The longest query value accepted where the schema sets no limit (a continuation token, an id).</summary>
    public const int MaxValueLength = 2048;

    private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlyDictionary<string, JsonObject>>> ByOperation = new(Read);

    /// <summary>Null when <paramref name="query"/> is acceptable for <paramref name="route"/>, otherwise the problem naming the parameter.</summary>
    /// <param name="route">The operation.</param>
    /// <param name="query">The request's query.</param>
    /// <param name="hostParameters">Parameters the host itself reads (the Functions host's <c>code</c>), allowed on every operation.</param>
    public static ApiProblem? Check(ApiRoute route, IQueryCollection query, params string[] hostParameters)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(query);
        IReadOnlyDictionary<string, JsonObject> declared = ByOperation.Value.GetValueOrDefault(route.Name) ?? new Dictionary<string, JsonObject>();
        foreach ((string name, Microsoft.Extensions.Primitives.StringValues values) in query)
        {
            if (hostParameters.Contains(name, StringComparer.Ordinal))
            {
                continue;
            }

            if (!declared.TryGetValue(name, out JsonObject? schema))
            {
                string takes = declared.Count == 0 ? "no query parameters" : "only " + string.Join(", ", declared.Keys.Order(StringComparer.Ordinal));
                return Problems.InvalidQuery(Shown(name), $"'{Shown(name)}' is not a parameter of {route.Name}, which takes {takes}");
            }

            if (values.Count > 1)
            {
                return Problems.InvalidQuery(name, $"{name} is given {values.Count} times; give it once");
            }

            if (ValueProblem(name, values.ToString(), schema) is { } problem)
            {
                return Problems.InvalidQuery(name, problem);
            }
        }

        return null;
    }

    private static string? ValueProblem(string name, string value, JsonObject schema)
    {
        int most = schema["maxLength"]?.GetValue<int>() ?? MaxValueLength;
        if (value.Length > most)
        {
            return $"{name} holds {value.Length} characters; the limit is {most}";
        }

        if (schema["enum"] is JsonArray allowed)
        {
            string[] names = allowed.Select(a => a!.GetValue<string>()).ToArray();
            return names.Contains(value, StringComparer.OrdinalIgnoreCase) ? null : $"{name} is one of {string.Join(", ", names)}";
        }

        double? minimum = schema["minimum"]?.GetValue<double>();
        double? maximum = schema["maximum"]?.GetValue<double>();
        string range = minimum is null && maximum is null ? string.Empty : $" from {minimum?.ToString(CultureInfo.InvariantCulture) ?? "any"} to {maximum?.ToString(CultureInfo.InvariantCulture) ?? "any"}";
        switch (schema["type"]?.GetValue<string>())
        {
            case "integer":
                return long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long whole) && InRange(whole, minimum, maximum)
                    ? null
                    : $"{name} is a whole number{range}";
            case "number":
                return double.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double number) && double.IsFinite(number) && InRange(number, minimum, maximum)
                    ? null
                    : $"{name} is a number{range}";
            case "boolean":
                return bool.TryParse(value, out _) ? null : $"{name} is true or false";
            default:
                return value.Any(char.IsControl) ? $"{name} holds control characters" : null;
        }
    }

    private static bool InRange(double value, double? minimum, double? maximum) => (minimum is null || value >= minimum) && (maximum is null || value <= maximum);

    // a name is echoed back only as far as it is printable and short
    private static string Shown(string name) => new(name.Take(64).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    private static IReadOnlyDictionary<string, IReadOnlyDictionary<string, JsonObject>> Read()
    {
        JsonNode document = JsonNode.Parse(SystemEndpoints.OpenApiDocument)!;
        var operations = new Dictionary<string, IReadOnlyDictionary<string, JsonObject>>(StringComparer.Ordinal);
        foreach ((string _, JsonNode? item) in document["paths"]!.AsObject())
        {
            foreach ((string method, JsonNode? operation) in item!.AsObject())
            {
                if (operation is not JsonObject op || op["operationId"] is null)
                {
                    continue;
                }

                var parameters = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
                foreach (JsonNode? parameter in (item["parameters"]?.AsArray() ?? []).Concat(op["parameters"]?.AsArray() ?? []))
                {
                    JsonNode resolved = Resolve(document, parameter!);
                    if (resolved["in"]?.GetValue<string>() == "query")
                    {
                        parameters[resolved["name"]!.GetValue<string>()] = Resolve(document, resolved["schema"]!).AsObject();
                    }
                }

                operations[op["operationId"]!.GetValue<string>()] = parameters;
            }
        }

        return operations;
    }

    private static JsonNode Resolve(JsonNode document, JsonNode node)
    {
        while (node["$ref"]?.GetValue<string>() is { } reference)
        {
            node = reference.TrimStart('#', '/').Split('/').Aggregate(document, (at, part) => at[part]!);
        }

        return node;
    }
}
