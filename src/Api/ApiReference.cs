using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Cohorts.Api;

/// <summary>
/// The browsable reference at <c>GET /api/docs</c>: one self-contained HTML page written from the OpenAPI document
/// itself (no script, nothing fetched from elsewhere, so it works offline and the same in both hosts) — every
/// operation with its roles, parameters, body and answers, then every schema with its members.
/// </summary>
public static class ApiReference
{
    private static readonly Lazy<string> Page = new(() => Render(JsonNode.Parse(SystemEndpoints.OpenApiDocument)!.AsObject()));

    /// <summary>The page, rendered once.</summary>
    public static string Html => Page.Value;

    /// <summary>Renders <paramref name="document"/> as HTML.</summary>
    public static string Render(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var html = new StringBuilder();
        string title = Text(document["info"]?["title"]) ?? "API";
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append(" reference</title><style>")
            .Append("body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#1d232a}")
            .Append("code,.m{font-family:ui-monospace,monospace}h2{margin-top:2.5rem;border-bottom:1px solid #ccd}")
            .Append(".op{border:1px solid #dde;border-radius:6px;padding:.6rem 1rem;margin:1rem 0}.m{font-weight:bold;display:inline-block;min-width:4.5rem}")
            .Append("table{border-collapse:collapse;margin:.4rem 0}td,th{border:1px solid #dde;padding:.2rem .5rem;text-align:left;vertical-align:top}")
            .Append(".roles{color:#555}nav a{margin-right:.8rem}</style></head><body>");
        html.Append("<h1>").Append(E(title)).Append(" <small>").Append(E(Text(document["info"]?["version"]) ?? string.Empty)).Append("</small></h1>");
        html.Append("<p>").Append(E(Text(document["info"]?["description"]) ?? string.Empty)).Append("</p>");
        html.Append("<p>The machine-readable document: <a href=\"openapi.json\"><code>/api/openapi.json</code></a>. Authenticate with <code>X-Api-Key</code> or an Entra ID bearer token.</p>");
        html.Append("<nav><a href=\"#operations\">Operations</a><a href=\"#schemas\">Schemas</a></nav>");

        html.Append("<h2 id=\"operations\">Operations</h2>");
        foreach ((string path, JsonNode? item) in document["paths"]?.AsObject() ?? [])
        {
            foreach ((string method, JsonNode? op) in item?.AsObject() ?? [])
            {
                if (op is not JsonObject operation)
                {
                    continue;
                }

                string id = Text(operation["operationId"]) ?? method + path;
                html.Append("<div class=\"op\" id=\"").Append(E(id)).Append("\"><div><span class=\"m\">").Append(E(method.ToUpperInvariant())).Append("</span><code>/api")
                    .Append(E(path)).Append("</code> — ").Append(E(Text(operation["summary"]) ?? string.Empty)).Append("</div>");
                string[] roles = operation["x-roles"]?.AsArray().Select(r => Text(r) ?? string.Empty).ToArray() ?? [];
                html.Append("<div class=\"roles\">").Append(roles.Length == 0 ? "open to anyone" : "roles: " + E(string.Join(", ", roles)) + " (or admin)").Append("</div>");
                if (Text(operation["description"]) is { } description)
                {
                    html.Append("<p>").Append(E(description)).Append("</p>");
                }

                Parameters(html, document, (item!["parameters"]?.AsArray() ?? []).Concat(operation["parameters"]?.AsArray() ?? []));
                if (operation["requestBody"]?["content"] is JsonObject body)
                {
                    html.Append("<div>Body: ").Append(string.Join(", ", body.Select(c => $"<code>{E(c.Key)}</code> {SchemaName(c.Value?["schema"])}"))).Append("</div>");
                }

                html.Append("<table><tr><th>answer</th><th>what</th></tr>");
                foreach ((string status, JsonNode? response) in operation["responses"]?.AsObject() ?? [])
                {
                    JsonNode? resolved = Resolve(document, response);
                    string schema = resolved?["content"] is JsonObject content ? string.Join(", ", content.Select(c => $"<code>{E(c.Key)}</code> {SchemaName(c.Value?["schema"])}")) : string.Empty;
                    html.Append("<tr><td>").Append(E(status)).Append("</td><td>").Append(E(Text(resolved?["description"]) ?? string.Empty)).Append(' ').Append(schema).Append("</td></tr>");
                }

                html.Append("</table></div>");
            }
        }

        html.Append("<h2 id=\"schemas\">Schemas</h2>");
        foreach ((string name, JsonNode? schema) in document["components"]?["schemas"]?.AsObject() ?? [])
        {
            html.Append("<h3 id=\"schema-").Append(E(name)).Append("\">").Append(E(name)).Append("</h3>");
            if (Text(schema?["description"]) is { } description)
            {
                html.Append("<p>").Append(E(description)).Append("</p>");
            }

            if (schema?["enum"] is JsonArray values)
            {
                html.Append("<p>One of: ").Append(string.Join(", ", values.Select(v => $"<code>{E(Text(v) ?? "null")}</code>"))).Append("</p>");
            }

            if (schema?["properties"] is JsonObject properties)
            {
                HashSet<string> required = (schema["required"]?.AsArray() ?? []).Select(r => Text(r) ?? string.Empty).ToHashSet(StringComparer.Ordinal);
                html.Append("<table><tr><th>member</th><th>type</th><th>what</th></tr>");
                foreach ((string member, JsonNode? property) in properties)
                {
                    html.Append("<tr><td><code>").Append(E(member)).Append("</code>").Append(required.Contains(member) ? " (required)" : string.Empty).Append("</td><td>")
                        .Append(SchemaName(property)).Append("</td><td>").Append(E(Text(property?["description"]) ?? string.Empty)).Append("</td></tr>");
                }

                html.Append("</table>");
            }
        }

        return html.Append("</body></html>").ToString();
    }

    private static void Parameters(StringBuilder html, JsonObject document, IEnumerable<JsonNode?> parameters)
    {
        List<JsonNode> resolved = parameters.Select(p => Resolve(document, p)).OfType<JsonNode>().ToList();
        if (resolved.Count == 0)
        {
            return;
        }

        html.Append("<table><tr><th>parameter</th><th>in</th><th>type</th><th>what</th></tr>");
        foreach (JsonNode parameter in resolved)
        {
            html.Append("<tr><td><code>").Append(E(Text(parameter["name"]) ?? string.Empty)).Append("</code>").Append(parameter["required"]?.GetValue<bool>() == true ? " (required)" : string.Empty)
                .Append("</td><td>").Append(E(Text(parameter["in"]) ?? string.Empty)).Append("</td><td>").Append(SchemaName(parameter["schema"]))
                .Append("</td><td>").Append(E(Text(parameter["description"]) ?? string.Empty)).Append("</td></tr>");
        }

        html.Append("</table>");
    }

    private static JsonNode? Resolve(JsonObject document, JsonNode? node)
    {
        for (int depth = 0; depth < 8 && Text(node?["$ref"]) is { } reference && reference.StartsWith("#/", StringComparison.Ordinal); depth++)
        {
            node = reference[2..].Split('/').Aggregate((JsonNode?)document, (at, part) => at?[part]);
        }

        return node;
    }

    private static string SchemaName(JsonNode? schema)
    {
        if (schema is null)
        {
            return string.Empty;
        }

        if (Text(schema["$ref"]) is { } reference)
        {
            string name = reference[(reference.LastIndexOf('/') + 1)..];
            return $"<a href=\"#schema-{E(name)}\">{E(name)}</a>";
        }

        if (schema["allOf"] is JsonArray all && all.Count > 0)
        {
            return SchemaName(all[0]) + (schema["nullable"]?.GetValue<bool>() == true ? " or null" : string.Empty);
        }

        string type = Text(schema["type"]) ?? "any";
        string shape = type == "array" ? "array of " + SchemaName(schema["items"]) : E(type) + (Text(schema["format"]) is { } format ? $" ({E(format)})" : string.Empty);
        if (schema["enum"] is JsonArray values && type != "array")
        {
            shape += ": " + string.Join(" | ", values.Select(v => E(Text(v) ?? "null")));
        }

        return shape + (schema["nullable"]?.GetValue<bool>() == true ? " or null" : string.Empty);
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
