using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Cohorts.TestSupport;

/// <summary>
/// The API's OpenAPI document as a contract every end-to-end response is held to: the operation is documented, the
/// status is one of its responses, the media type one of that response's, its documented headers are sent, and a JSON
/// body matches the schema. The document is OpenAPI 3.0; its schemas are read as JSON Schema 2020-12 (nullable becomes a
/// null type) and closed for responses: the server writes every member of its views (nulls included), so each
/// declared property is required and an undeclared one is drift.
/// </summary>
public sealed partial class ContractCheck
{
    private static readonly Lazy<ContractCheck> Repository = new(() => new ContractCheck(JsonNode.Parse(File.ReadAllText(DocumentPath))!.AsObject()));

    private readonly JsonObject document;
    private readonly JsonObject definitions;
    private readonly List<(string Method, Regex Path, string Template, JsonObject Operation)> operations = [];
    private readonly ConcurrentDictionary<string, JsonSchema> schemas = new(StringComparer.Ordinal);

    /// <summary>Reads <paramref name="document"/> (an OpenAPI 3.0 document).</summary>
    public ContractCheck(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        this.document = document;
        definitions = new JsonObject();
        foreach ((string name, JsonNode? schema) in document["components"]!["schemas"]!.AsObject())
        {
            definitions[name] = ToJsonSchema(schema!, closed: true);
        }

        foreach ((string template, JsonNode? item) in document["paths"]!.AsObject())
        {
            var pattern = new Regex("^" + PathParameter().Replace(Regex.Escape(template), "[^/]+") + "$", RegexOptions.CultureInvariant);
            foreach ((string method, JsonNode? operation) in item!.AsObject())
            {
                if (method != "parameters")
                {
                    operations.Add((method.ToUpperInvariant(), pattern, template, operation!.AsObject()));
                }
            }
        }
    }

    /// <summary>The repository's document, which both hosts serve.</summary>
    public static ContractCheck Default => Repository.Value;

    /// <summary>Where the document lives in the repository.</summary>
    public static string DocumentPath => Path.Combine(RepoPaths.Root, "src", "Api", "openapi.json");

    /// <summary>Every violation seen in this test run, for a summary.</summary>
    public static ConcurrentQueue<string> Seen { get; } = new();

    /// <summary>The documented operation of <paramref name="method"/> on <paramref name="path"/> (below <c>/api</c>), if any.</summary>
    public (string Template, JsonObject Operation)? Find(string method, string path)
    {
        foreach ((string m, Regex pattern, string template, JsonObject operation) in operations)
        {
            if (m == method && pattern.IsMatch(path))
            {
                return (template, operation);
            }
        }

        return null;
    }

    /// <summary>What is wrong with the answer <paramref name="status"/> to <paramref name="method"/> <paramref name="path"/>; empty when it keeps the contract.</summary>
    public IReadOnlyList<string> Check(string method, string path, int status, IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers, string? mediaType, string body)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(body);
        if (Find(method, path) is not { } found)
        {
            // routing's own answers for what the API does not have are not part of its contract
            return status is 404 or 405 ? [] : [$"{method} {path}: no such operation in the document, yet it answered {status}"];
        }

        string where = $"{method} {found.Template} → {status}";
        JsonObject responses = found.Operation["responses"]!.AsObject();
        JsonNode? response = responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] ?? responses["default"];
        if (response is null)
        {
            return [$"{where}: status not documented (documented: {string.Join(", ", responses.Select(r => r.Key))})"];
        }

        string responsePointer = response["$ref"] is { } reference ? reference.GetValue<string>() : $"#/paths/{Escape(found.Template)}/{method.ToLowerInvariant()}/responses/{status}";
        response = Resolve(response);
        var problems = new List<string>();
        var sent = headers.Select(h => h.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach ((string header, JsonNode? _) in response["headers"]?.AsObject() ?? [])
        {
            if (!sent.Contains(header))
            {
                problems.Add($"{where}: the documented header {header} is missing");
            }
        }

        JsonObject? content = response["content"]?.AsObject();
        if (body.Length == 0)
        {
            return problems;
        }

        if (content is null || mediaType is null || !content.ContainsKey(mediaType))
        {
            problems.Add($"{where}: body of type {mediaType ?? "(none)"} not documented (documented: {string.Join(", ", content?.Select(c => c.Key) ?? [])})");
            return problems;
        }

        if (mediaType is "application/json" or "application/problem+json")
        {
            JsonSchema schema = schemas.GetOrAdd(responsePointer + "|" + mediaType, _ => Compile(content[mediaType]!["schema"]!));
            JsonNode? instance;
            try
            {
                instance = JsonNode.Parse(body);
            }
            catch (JsonException e)
            {
                problems.Add($"{where}: the body is not JSON ({e.Message})");
                return problems;
            }

            EvaluationResults results = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
            if (!results.IsValid)
            {
                problems.AddRange(results.Details.Where(d => d.Errors is { Count: > 0 })
                    .SelectMany(d => d.Errors!.Select(e => $"{where}: {d.InstanceLocation} {e.Key}: {e.Value}"))
                    .Take(10));
            }
        }

        return problems;
    }

    /// <summary>A handler that checks every response passing through it and throws on a violation.</summary>
    public DelegatingHandler Handler(HttpMessageHandler? inner = null) => new CheckingHandler(this) { InnerHandler = inner ?? new HttpClientHandler() };

    private JsonSchema Compile(JsonNode schema)
    {
        var root = ToJsonSchema(schema, closed: true).AsObject();
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        root["$defs"] = definitions.DeepClone();
        return JsonSchema.FromText(root.ToJsonString());
    }

    private JsonNode Resolve(JsonNode node)
    {
        while (node["$ref"] is { } reference)
        {
            node = JsonPointerOf(reference.GetValue<string>());
        }

        return node;
    }

    private JsonNode JsonPointerOf(string reference)
    {
        JsonNode node = document;
        foreach (string part in reference.TrimStart('#', '/').Split('/'))
        {
            node = node[part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)]!;
        }

        return node;
    }

    private static string Escape(string template) => template.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    /// <summary>An OpenAPI 3.0 schema as JSON Schema 2020-12; with <paramref name="closed"/>, objects require and allow exactly their properties.</summary>
    public static JsonNode ToJsonSchema(JsonNode schema, bool closed)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (schema is not JsonObject source)
        {
            return schema.DeepClone();
        }

        var target = new JsonObject();
        foreach ((string key, JsonNode? value) in source)
        {
            switch (key)
            {
                case "nullable" or "example" or "exclusiveMinimum" or "exclusiveMaximum" or "readOnly" or "writeOnly":
                    break;
                case "$ref":
                    target[key] = value!.GetValue<string>().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
                    break;
                case "properties" or "additionalProperties" when value is JsonObject:
                    target[key] = key == "properties"
                        ? new JsonObject(value.AsObject().Select(p => KeyValuePair.Create(p.Key, (JsonNode?)ToJsonSchema(p.Value!, closed))))
                        : ToJsonSchema(value, closed);
                    break;
                case "items" or "not":
                    target[key] = ToJsonSchema(value!, closed);
                    break;
                case "allOf" or "anyOf" or "oneOf":
                    target[key] = new JsonArray(value!.AsArray().Select(s => (JsonNode?)ToJsonSchema(s!, closed)).ToArray());
                    break;
                default:
                    target[key] = value?.DeepClone();
                    break;
            }
        }

        if (source["exclusiveMinimum"]?.GetValue<bool>() == true && target["minimum"] is { } min)
        {
            target.Remove("minimum");
            target["exclusiveMinimum"] = min.DeepClone();
        }

        if (source["exclusiveMaximum"]?.GetValue<bool>() == true && target["maximum"] is { } max)
        {
            target.Remove("maximum");
            target["exclusiveMaximum"] = max.DeepClone();
        }

        if (closed && target["properties"] is JsonObject properties)
        {
            target["required"] = new JsonArray(properties.Select(p => (JsonNode?)p.Key).ToArray());
            target["additionalProperties"] ??= false;
        }

        if (source["nullable"]?.GetValue<bool>() != true)
        {
            return target;
        }

        if (target["enum"] is JsonArray values)
        {
            values.Add(null);
        }

        return target["type"] is JsonValue type && target["allOf"] is null
            ? WithType(target, new JsonArray(type.GetValue<string>(), "null"))
            : new JsonObject { ["anyOf"] = new JsonArray(new JsonObject { ["type"] = "null" }, target) };
    }

    private static JsonObject WithType(JsonObject schema, JsonArray type)
    {
        schema["type"] = type;
        return schema;
    }

    [GeneratedRegex(@"\\\{[^}]+}")]
    private static partial Regex PathParameter();

    private sealed class CheckingHandler(ContractCheck contract) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
            string path = request.RequestUri!.AbsolutePath;
            if (!path.StartsWith("/api/", StringComparison.Ordinal))
            {
                return response;
            }

            await response.Content.LoadIntoBufferAsync(cancellationToken);
            string body = await response.Content.ReadAsStringAsync(cancellationToken);
            MediaTypeHeaderValue? type = response.Content.Headers.ContentType;
            IReadOnlyList<string> problems = contract.Check(request.Method.Method, path[4..], (int)response.StatusCode,
                response.Headers.Concat(response.Content.Headers), type?.MediaType, body);
            if (problems.Count > 0)
            {
                foreach (string problem in problems)
                {
                    Seen.Enqueue(problem);
                }

                throw new ContractViolationException(string.Join(Environment.NewLine, problems) + Environment.NewLine + "body: " + (body.Length > 2000 ? body[..2000] + "…" : body));
            }

            return response;
        }
    }
}

/// <summary>A response that does not keep the API's documented contract.</summary>
public sealed class ContractViolationException(string message) : Exception(message);
