using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using Cohorts.TestSupport;

namespace Cohorts.Infra.Tests;

/// <summary>infra/main.bicep compiled to an ARM template by the bicep binary from the project's own restore.</summary>
public static class CompiledTemplate
{
    private static readonly Lazy<JsonObject> Template = new(Compile);

    /// <summary>The compiled template.</summary>
    public static JsonObject Main => Template.Value;

    /// <summary>The bicep binary the restore brought.</summary>
    public static string BicepPath =>
        typeof(CompiledTemplate).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value!.Replace('\\', '/');

    /// <summary>Runs bicep build; throws with its output when it fails or warns.</summary>
    public static (int ExitCode, string Output, string Errors) Build(string bicepFile)
    {
        var start = new ProcessStartInfo(BicepPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { "build", bicepFile, "--stdout" })
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, errors);
    }

    /// <summary>Every resource of the template and of the templates nested in its module deployments, with the deployment that holds it.</summary>
    public static IEnumerable<(JsonObject Resource, JsonObject? Deployment)> Resources(JsonObject template, JsonObject? deployment = null)
    {
        foreach (JsonNode? node in Resources(template))
        {
            var resource = node!.AsObject();
            yield return (resource, deployment);
            if (resource["type"]!.GetValue<string>() == "Microsoft.Resources/deployments")
            {
                foreach (var inner in Resources(resource["properties"]!["template"]!.AsObject(), resource))
                {
                    yield return inner;
                }
            }
        }
    }

    private static IEnumerable<JsonNode?> Resources(JsonObject template) =>
        template["resources"] switch
        {
            JsonArray array => array,
            JsonObject map => map.Select(p => p.Value), // languageVersion 2.0 templates key resources by symbolic name
            _ => [],
        };

    private static JsonObject Compile()
    {
        (int exit, string output, string errors) = Build(Path.Combine(RepoPaths.Root, "infra", "main.bicep"));
        if (exit != 0 || errors.Contains("Warning", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"bicep build failed or warned (exit {exit}):\n{errors}");
        }

        return JsonNode.Parse(output)!.AsObject();
    }
}
