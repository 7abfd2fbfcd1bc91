using System.Reflection;
using System.Text.Json.Nodes;
using Cohorts.Functions.Workflows;
using Cohorts.Workflows;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Cohorts.Functions.Tests;

/// <summary>Every task that <c>AddCohortWorkflows</c> registers reaches the Functions host as a function of the same name and kind.</summary>
public class WorkflowFunctionsTests
{
    private static IReadOnlyList<string> Registered(string property)
    {
        var registry = new DurableTaskRegistry();
        registry.AddCohortWorkflows();
        // the registry keeps its tasks internal; read them so the test follows the real registration, not a copy of it
        object tasks = typeof(DurableTaskRegistry).GetProperty(property, BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(registry)!;
        return ((System.Collections.IEnumerable)tasks).Cast<object>()
            .Select(pair => pair.GetType().GetProperty("Key")!.GetValue(pair)!.ToString()!)
            .ToList();
    }

    private static IReadOnlyList<string> Functions(Type trigger) =>
        typeof(WorkflowFunctions).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.GetParameters().Any(p => p.GetCustomAttribute(trigger) is not null))
            .Select(m => m.GetCustomAttribute<FunctionAttribute>()!.Name)
            .ToList();

    [Fact]
    public void EveryRegisteredOrchestrator_HasAnOrchestrationTriggerFunctionOfItsName()
    {
        IReadOnlyList<string> registered = Registered("Orchestrators");

        Assert.NotEmpty(registered);
        Assert.Equal(registered.Order(), Functions(typeof(OrchestrationTriggerAttribute)).Order());
    }

    [Fact]
    public void EveryRegisteredActivity_HasAnActivityTriggerFunctionOfItsName()
    {
        IReadOnlyList<string> registered = Registered("Activities");

        Assert.NotEmpty(registered);
        Assert.Equal(registered.Order(), Functions(typeof(ActivityTriggerAttribute)).Order());
    }

    [Fact]
    public void BuiltMetadata_DeclaresTheWorkflowTriggers()
    {
        string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        JsonArray metadata = JsonNode.Parse(File.ReadAllText(Path.Combine(TestSupport.RepoPaths.Root, "src", "Hosts", "Functions", "bin", configuration, "net10.0", "functions.metadata")))!.AsArray();
        var triggers = metadata.ToDictionary(f => f!["name"]!.GetValue<string>(), f => f!["bindings"]![0]!["type"]!.GetValue<string>());

        foreach (string orchestrator in Registered("Orchestrators"))
        {
            Assert.Equal("orchestrationTrigger", triggers[orchestrator]);
        }

        foreach (string activity in Registered("Activities"))
        {
            Assert.Equal("activityTrigger", triggers[activity]);
        }
    }
}
