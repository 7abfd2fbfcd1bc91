using System.Diagnostics;
using System.Text.Json.Nodes;
using Cohorts.TestSupport;

namespace Cohorts.Infra.Tests;

/// <summary>What azd deploys: <c>dotnet publish</c> of the Functions project, with the host's files and the extension bundle.</summary>
public class FunctionsPackageTests
{
    [Fact]
    public async Task Publish_FunctionsProject_HasHostJsonMetadataAndExtensions()
    {
        string output = Path.Combine(Path.GetTempPath(), "cohorts-tests", "publish-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepoPaths.Root };
            foreach (string argument in new[] { "publish", "src/Hosts/Functions/Cohorts.Functions.csproj", "-c", "Release", "-o", output, "--nologo" })
            {
                start.ArgumentList.Add(argument);
            }

            using Process publish = Process.Start(start)!;
            Task<string> log = publish.StandardOutput.ReadToEndAsync();
            Task<string> errors = publish.StandardError.ReadToEndAsync();
            await publish.WaitForExitAsync();
            Assert.True(publish.ExitCode == 0, await log + await errors);

            JsonNode host = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "host.json")))!;
            Assert.Equal("cohortsfunctions", host["extensions"]!["durableTask"]!["hubName"]!.GetValue<string>());

            JsonArray functions = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "functions.metadata")))!.AsArray();
            Assert.Contains(functions, f => f!["name"]!.GetValue<string>() == "CreateCohort");
            Assert.Contains(functions, f => f!["name"]!.GetValue<string>() == "CohortLifecycleOrchestrator");
            // a binding's %setting% (the directory sync's schedule) must be an app setting, or the host refuses to index it
            string[] referenced = System.Text.RegularExpressions.Regex.Matches(functions.ToJsonString(), "%([A-Za-z0-9_]+)%").Select(m => m.Groups[1].Value).Distinct().ToArray();
            Assert.Contains("DirectorySyncSchedule", referenced);
            Assert.Contains("DigestSchedule", referenced);
            Assert.Contains("WebhookDispatchSchedule", referenced);
            Assert.Contains("RetentionSchedule", referenced);
            Assert.Contains("ReviewSweepSchedule", referenced);
            (JsonObject app, _) = CompiledTemplate.Resources(CompiledTemplate.Main).Single(r => r.Resource["type"]?.GetValue<string>() == "Microsoft.Web/sites");
            string[] appSettings = app["properties"]!["siteConfig"]!["appSettings"]!.AsArray().Select(a => a!["name"]!.GetValue<string>()).ToArray();
            Assert.All(referenced, name => Assert.Contains(name, appSettings));

            Assert.True(File.Exists(Path.Combine(output, "worker.config.json")), "worker.config.json");
            Assert.True(File.Exists(Path.Combine(output, "Cohorts.Functions.dll")), "the app itself");
            string extensions = Path.Combine(output, ".azurefunctions");
            Assert.True(Directory.Exists(extensions), ".azurefunctions (the extension bundle) is in the package");
            string[] bundled = Directory.GetFiles(extensions, "*.dll", SearchOption.AllDirectories).Select(Path.GetFileName).ToArray()!;
            Assert.Contains("Microsoft.Azure.WebJobs.Extensions.DurableTask.dll", bundled);
            Assert.Contains("DurableTask.AzureStorage.dll", bundled);
            // the generated startup project that loads the WebJobs extensions the worker's packages ask for
            Assert.Contains("Microsoft.Azure.Functions.Worker.Extensions.dll", bundled);
        }
        finally
        {
            try
            {
                Directory.Delete(output, recursive: true);
            }
            catch (IOException)
            {
                // temp
            }
        }
    }
}
