using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Cohorts.Api.Tests;

/// <summary>The page at /api/docs covers the whole document: every operation, with its roles, and every schema.</summary>
public class ApiReferenceTests
{
    [Fact]
    public void TheReference_ListsEveryOperationWithItsRoles_AndEverySchema()
    {
        JsonObject document = JsonNode.Parse(SystemEndpoints.OpenApiDocument)!.AsObject();
        string html = ApiReference.Html;

        foreach ((string path, JsonNode? item) in document["paths"]!.AsObject())
        {
            foreach ((string method, JsonNode? operation) in item!.AsObject())
            {
                string id = operation!["operationId"]!.GetValue<string>();
                Match block = Regex.Match(html, $"<div class=\"op\" id=\"{Regex.Escape(id)}\">(.*?)</table></div>", RegexOptions.Singleline);
                Assert.True(block.Success, $"{method.ToUpperInvariant()} {path} ({id}) is not on the page");
                Assert.Contains($"<code>/api{System.Net.WebUtility.HtmlEncode(path)}</code>", block.Value, StringComparison.Ordinal);
                string[] roles = operation["x-roles"]!.AsArray().Select(r => r!.GetValue<string>()).ToArray();
                Assert.Contains(roles.Length == 0 ? "open to anyone" : "roles: " + string.Join(", ", roles), block.Value, StringComparison.Ordinal);
            }
        }

        Assert.All(document["components"]!["schemas"]!.AsObject(), schema => Assert.Contains($"id=\"schema-{schema.Key}\"", html, StringComparison.Ordinal));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }
}
