using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Cohorts.Server.Tests;

/// <summary>One generated request: what was sent, for the report of a failure.</summary>
internal sealed record FuzzRequest(string Role, string Method, string Url, string? ContentType, byte[]? Body, IReadOnlyDictionary<string, string> Headers)
{
    public override string ToString()
    {
        string body = Body is null ? string.Empty : Encoding.UTF8.GetString(Body);
        string shown = body.Length > 300 ? body[..300] + $"… ({Body!.Length} bytes)" : body;
        string headers = string.Join(" ", Headers.Select(h => $"{h.Key}: {h.Value}"));
        return $"{Role} {Method} {(Url.Length > 300 ? Url[..300] + "…" : Url)} [{ContentType}] {headers} {shown}";
    }
}

/// <summary>
/// Generates requests from the OpenAPI document: for each operation, path parameters (a real id, boundary lengths,
/// characters a route cannot hold), query parameters from their schemas (valid, one past each bound, the wrong type,
/// unknown names, given twice), headers (Idempotency-Key, If-Match, content types) and bodies generated from the
/// request schema (every bound and one past it, wrong types, unknown members, nulls) or malformed outright (cut off,
/// nested deep, invalid UTF-8). The same seed gives the same requests.
/// </summary>
internal sealed class OpenApiFuzzer(JsonNode document, int seed, IReadOnlyDictionary<string, string> knownIds)
{
    private static readonly string[] Roles = ["admin", "admin", "admin", "hr", "integrator", "leader", "reviewer", "none"];

    private readonly Random random = new(seed);
    private readonly List<(string Method, string Path, JsonObject Operation, JsonArray Parameters)> operations = Operations(document);

    public FuzzRequest Next()
    {
        (string method, string path, JsonObject operation, JsonArray parameters) = operations[random.Next(operations.Count)];
        var url = new StringBuilder("/api");
        foreach (string segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            url.Append('/').Append(segment.StartsWith('{') ? Uri.EscapeDataString(PathValue(segment.Trim('{', '}'))) : segment);
        }

        var query = new List<string>();
        foreach (JsonObject parameter in parameters.Select(p => Resolve(p!).AsObject()).Where(p => p["in"]!.GetValue<string>() == "query"))
        {
            if (random.Next(3) == 0)
            {
                string name = parameter["name"]!.GetValue<string>();
                int times = random.Next(12) == 0 ? 2 : 1;
                for (int i = 0; i < times; i++)
                {
                    query.Add($"{name}={Uri.EscapeDataString(Scalar(Resolve(parameter["schema"]!).AsObject(), name))}");
                }
            }
        }

        if (random.Next(10) == 0)
        {
            query.Add($"{Word()}={Uri.EscapeDataString(Word())}");
        }

        if (query.Count > 0)
        {
            url.Append('?').Append(string.Join('&', query));
        }

        var headers = new Dictionary<string, string>();
        if (random.Next(4) == 0)
        {
            headers["Idempotency-Key"] = Pick(["fz-" + random.Next(20), Word(), new string('k', 201), "key with spaces", "%C3%A9"]);
        }

        if (random.Next(4) == 0)
        {
            headers["If-Match"] = Pick(["\"1\"", "\"2\"", "*", "\"" + Word() + "\"", "W/\"1\"", "garbage"]);
        }

        (string? contentType, byte[]? body) = method is "post" or "put" or "patch" ? Body(operation) : (null, null);
        return new FuzzRequest(Pick(Roles), method.ToUpperInvariant(), url.ToString(), contentType, body, headers);
    }

    public static HttpRequestMessage ToMessage(FuzzRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(request.Url, UriKind.Relative));
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }
        }

        foreach ((string name, string value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        return message;
    }

    private string PathValue(string name) => random.Next(10) switch
    {
        < 5 when knownIds.TryGetValue(name, out string? known) => known,
        5 => new string('a', 64),
        6 => new string('a', 65 + random.Next(3000)),
        7 => Pick(["a/b", "..", ".", "a%2Fb", "%00", "ü", "💥", " ", "a b", "a?b", "a#b", "a\\b", "CON", "a:b"]),
        _ => "fz" + Word(),
    };

    private (string? ContentType, byte[]? Body) Body(JsonObject operation)
    {
        JsonObject? content = operation["requestBody"]?["content"]?.AsObject();
        string declared = content?.Select(c => c.Key).FirstOrDefault() ?? "application/json";
        string contentType = random.Next(12) switch
        {
            0 => Pick(["text/plain", "application/xml", "multipart/form-data", string.Empty, "application/json; charset=latin1", "text/csv"]),
            _ => declared,
        };

        if (random.Next(8) == 0)
        {
            return (contentType, Malformed());
        }

        if (declared.Contains("csv", StringComparison.Ordinal))
        {
            return (contentType, Encoding.UTF8.GetBytes(Csv()));
        }

        JsonNode? schema = content?[declared]?["schema"];
        JsonNode? value = schema is null ? new JsonObject() : Value(Resolve(schema).AsObject(), null, 0);
        return (contentType, Encoding.UTF8.GetBytes(value?.ToJsonString() ?? "null"));
    }

    private JsonNode? Value(JsonObject schema, string? name, int depth)
    {
        if (random.Next(25) == 0)
        {
            // the wrong type, or null
            return Pick<JsonNode?>([null, JsonValue.Create(random.Next()), JsonValue.Create(Word()), new JsonArray(), new JsonObject(), JsonValue.Create(true)]);
        }

        string? type = schema["type"]?.GetValue<string>() ?? (schema["properties"] is not null ? "object" : null);
        if (schema["oneOf"] is JsonArray oneOf && oneOf.Count > 0)
        {
            return Value(Resolve(oneOf[random.Next(oneOf.Count)]!).AsObject(), name, depth);
        }

        switch (type)
        {
            case "object":
                var result = new JsonObject();
                if (depth > 6)
                {
                    return result;
                }

                JsonObject properties = schema["properties"]?.AsObject() ?? [];
                var required = (schema["required"]?.AsArray() ?? []).Select(r => r!.GetValue<string>()).ToHashSet();
                foreach ((string property, JsonNode? propertySchema) in properties)
                {
                    if (required.Contains(property) ? random.Next(10) > 0 : random.Next(2) == 0)
                    {
                        result[property] = Value(Resolve(propertySchema!).AsObject(), property, depth + 1);
                    }
                }

                if (schema["additionalProperties"] is JsonObject map)
                {
                    int count = Bound(schema["maxProperties"]?.GetValue<int>() ?? 5, small: 3);
                    for (int i = 0; i < count; i++)
                    {
                        result[Word() + i] = Value(Resolve(map).AsObject(), name, depth + 1);
                    }
                }

                if (random.Next(15) == 0)
                {
                    result[Word()] = Word();
                }

                return result;
            case "array":
                var array = new JsonArray();
                int items = Bound(schema["maxItems"]?.GetValue<int>() ?? 10, small: 3);
                JsonObject itemSchema = schema["items"] is { } i2 ? Resolve(i2).AsObject() : new JsonObject { ["type"] = "string" };
                for (int i = 0; i < items; i++)
                {
                    array.Add(Value(itemSchema, name, depth + 1));
                }

                return array;
            case "integer":
                return random.Next(6) == 0 ? JsonValue.Create(Pick([long.MaxValue, long.MinValue, -1L, 0L, int.MaxValue + 1L])) : JsonValue.Create(Number(schema, whole: true));
            case "number":
                return random.Next(6) == 0 ? JsonNode.Parse(Pick(["1e308", "-1e308", "1e-320", "0", "-0.0", "123456789012345678901234567890"])) : JsonValue.Create(Number(schema, whole: false));
            case "boolean":
                return JsonValue.Create(random.Next(2) == 0);
            default:
                return JsonValue.Create(Scalar(schema, name));
        }
    }

    private string Scalar(JsonObject schema, string? name)
    {
        string? type = schema["type"]?.GetValue<string>();
        if (schema["enum"] is JsonArray values && values.Count > 0 && random.Next(5) > 0)
        {
            return values[random.Next(values.Count)]!.ToString();
        }

        switch (type)
        {
            case "integer":
                return random.Next(4) == 0 ? Pick(["-1", "0", "NaN", "1e3", "99999999999999999999", "ten", string.Empty]) : Number(schema, whole: true).ToString(CultureInfo.InvariantCulture);
            case "number":
                return random.Next(4) == 0 ? Pick(["NaN", "Infinity", "-Infinity", "1e309", "2", "-0.5", "0x10"]) : Number(schema, whole: false).ToString(CultureInfo.InvariantCulture);
            case "boolean":
                return Pick(["true", "false", "True", "yes", "1", string.Empty]);
        }

        if (schema["format"]?.GetValue<string>() == "date-time" || name is "startsAt" or "occurredAt")
        {
            return Pick([DateTimeOffset.UtcNow.AddDays(random.Next(-400, 400)).ToString("O"), "9999-12-31T00:00:00Z", "0001-01-01T00:00:00Z", "yesterday", "2026-02-30T00:00:00Z"]);
        }

        if (name is not null && (name.Contains("email", StringComparison.OrdinalIgnoreCase) || name is "leaders" or "programLead"))
        {
            return Pick([$"fz{random.Next(1000)}@example.com", "not-an-email", "a@b", "\"quoted\"@example.com", "x@" + new string('d', 300) + ".com"]);
        }

        if (name is not null && (name.EndsWith("url", StringComparison.OrdinalIgnoreCase) || name == "link"))
        {
            return Pick(["https://git.example.com/fz/" + random.Next(1000), "http://127.0.0.1:1/hook", "ftp://x", "javascript:alert(1)", "https://" + new string('u', 2100), "//no-scheme"]);
        }

        if (name is "window" or "reminder" or "timeToProduction" || name == "checkpoints")
        {
            return Pick(["PT48H", "P90D", "PT1S", "P0D", "-P1D", "P99999999D", "PT", "P1M", "48 hours"]);
        }

        int most = schema["maxLength"]?.GetValue<int>() ?? 200;
        return random.Next(8) switch
        {
            0 => new string('x', most),
            1 => new string('x', most + 1),
            2 => new string('x', Math.Min(most * 10, 50_000)),
            3 => string.Empty,
            4 => Pick(["\u0000", "\u202e", "<script>", "' or 1=1 --", "../../etc/passwd", "💥💥", "\ud800", "=cmd|' /C calc'!A0"]),
            _ => (name?.EndsWith("Id", StringComparison.Ordinal) == true || name is "id" ? "fz" : string.Empty) + Word(),
        };
    }

    private double Number(JsonObject schema, bool whole)
    {
        double minimum = schema["minimum"]?.GetValue<double>() ?? -10;
        double maximum = schema["maximum"]?.GetValue<double>() ?? 1000;
        double value = random.Next(4) switch
        {
            0 => minimum,
            1 => maximum,
            2 => random.Next(2) == 0 ? minimum - 1 : maximum + 1,
            _ => minimum + (random.NextDouble() * (maximum - minimum)),
        };
        return whole ? Math.Round(value) : value;
    }

    private int Bound(int most, int small) => random.Next(6) switch
    {
        0 => most,
        1 => most + 1,
        2 => 0,
        _ => random.Next(Math.Min(small, most) + 1),
    };

    private byte[] Malformed() => random.Next(7) switch
    {
        0 => Encoding.UTF8.GetBytes("{\"id\":"),
        1 => Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000)),
        2 => [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D],
        3 => Encoding.UTF8.GetBytes("{\"a\":1,\"a\":2}"),
        4 => Encoding.UTF8.GetBytes("{\"n\":" + new string('9', 5000) + "}"),
        5 => Encoding.UTF8.GetBytes("null"),
        _ => Encoding.UTF8.GetBytes("\uFEFF" + "{}"),
    };

    private string Csv()
    {
        var csv = new StringBuilder(Pick(["employee_id,email,first_name,last_name,job_title,department,status\n", "participant_id,step_id,completed_at\n", "a;b;c\n", string.Empty, "\"unterminated\n"]));
        int rows = random.Next(6);
        for (int i = 0; i < rows; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"fz{random.Next(100)},{Scalar(new JsonObject(), "email")},{Word()},\"{Word()}\"\"x\",{Pick(["Data Scientist", new string('T', 300), "=HYPERLINK(1)", string.Empty])},{Word()},Active\n");
        }

        return csv.ToString();
    }

    private string Word() => new(Enumerable.Range(0, random.Next(1, 12)).Select(_ => (char)random.Next('a', 'z' + 1)).ToArray());

    private T Pick<T>(IReadOnlyList<T> values) => values[random.Next(values.Count)];

    private JsonNode Resolve(JsonNode node)
    {
        while (node["$ref"]?.GetValue<string>() is { } reference)
        {
            node = reference.TrimStart('#', '/').Split('/').Aggregate(document, (at, part) => at[part]!);
        }

        return node;
    }

    private static List<(string, string, JsonObject, JsonArray)> Operations(JsonNode document)
    {
        var found = new List<(string, string, JsonObject, JsonArray)>();
        foreach ((string path, JsonNode? item) in document["paths"]!.AsObject())
        {
            foreach ((string method, JsonNode? operation) in item!.AsObject())
            {
                if (operation is JsonObject op && op["operationId"] is not null)
                {
                    var parameters = new JsonArray([.. (item["parameters"]?.AsArray() ?? []).Concat(op["parameters"]?.AsArray() ?? []).Select(p => p!.DeepClone())]);
                    found.Add((method, path, op, parameters));
                }
            }
        }

        return found;
    }
}
