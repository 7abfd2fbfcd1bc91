using System.Reflection;
using Cohorts.Api;
using Cohorts.Connectors.Csv;
using Cohorts.Domain;
using Cohorts.Workflows;

namespace Cohorts.Application.Tests;

/// <summary>
/// Every arrow of STYLE.md's layout, read from the references each compiled assembly really has: Hosts → Api →
/// Application → Workflows, Connectors → Domain, and nothing pointing back.
/// </summary>
public class ArchitectureTests
{
    private static readonly Assembly Domain = typeof(CohortPlan).Assembly;
    private static readonly Assembly Workflows = typeof(CohortWorkflows).Assembly;
    private static readonly Assembly Connectors = typeof(HrCsvReader).Assembly;
    private static readonly Assembly Application = typeof(Failure).Assembly;
    private static readonly Assembly Api = typeof(ApiRoutes).Assembly;
    private static readonly Assembly Server = typeof(global::Cohorts.Server.Hosting.ServerOptions).Assembly;
    private static readonly Assembly Functions = typeof(global::Cohorts.Functions.FunctionsSetup).Assembly;

    public static TheoryData<string, string[], string[]> Rules => new()
    {
        // assembly, product assemblies it may reference, name prefixes it must not reference
        { "Cohorts.Domain", [], ["Azure", "Microsoft.Azure", "Microsoft.Graph", "Microsoft.DurableTask", "DurableTask", "Microsoft.AspNetCore", "Grpc", "CsvHelper", "Microsoft.Kiota"] },
        { "Cohorts.Workflows", ["Cohorts.Domain"], ["Azure", "Microsoft.Azure", "Microsoft.Graph", "Microsoft.AspNetCore", "Grpc", "CsvHelper"] },
        { "Cohorts.Connectors", ["Cohorts.Domain"], ["Microsoft.AspNetCore", "Microsoft.DurableTask"] },
        { "Cohorts.Application", ["Cohorts.Domain", "Cohorts.Workflows"], ["Microsoft.AspNetCore", "Azure", "Microsoft.Graph", "CsvHelper"] },
        { "Cohorts.Api", ["Cohorts.Domain", "Cohorts.Workflows", "Cohorts.Connectors", "Cohorts.Application"], [] },
        { "Cohorts.Server", ["Cohorts.Domain", "Cohorts.Workflows", "Cohorts.Connectors", "Cohorts.Application", "Cohorts.Api"], [] },
        { "Cohorts.Functions", ["Cohorts.Domain", "Cohorts.Workflows", "Cohorts.Connectors", "Cohorts.Application", "Cohorts.Api"], [] },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Assembly_ReferencesOnlyWhatItsLayerMay(string name, string[] mayUse, string[] forbidden)
    {
        Assembly assembly = new[] { Domain, Workflows, Connectors, Application, Api, Server, Functions }.Single(a => a.GetName().Name == name);
        string[] references = assembly.GetReferencedAssemblies().Select(r => r.Name!).ToArray();

        Assert.Contains("System.Runtime", references); // the check reads real references
        Assert.Equal([], references.Where(r => r.StartsWith("Cohorts.", StringComparison.Ordinal) && !mayUse.Contains(r)).ToArray());
        Assert.Equal([], references.Where(r => forbidden.Any(f => r == f || r.StartsWith(f + ".", StringComparison.Ordinal))).ToArray());
    }

    [Fact]
    public void Application_HasNoAspNetCoreTypeInItsSurface()
    {
        // a type can leak without a direct reference (a forwarded type): no public member may name one
        Type[] offending = Application.GetExportedTypes()
            .SelectMany(t => t.GetMethods().SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType)).Concat(t.GetProperties().Select(p => p.PropertyType)))
            .Where(t => t.Namespace?.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) == true)
            .Distinct()
            .ToArray();

        Assert.Empty(offending);
    }

    [Fact]
    public void HttpHandlers_ReachOnlyUseCases_NeverAStoreOrAnotherPort()
    {
        // a handler binds, calls one use case and maps its result: what it is given says what it can reach
        Type[] handlers = Api.GetExportedTypes().Where(t => t.Name.EndsWith("Endpoints", StringComparison.Ordinal) && t.Name != "SystemEndpoints").ToArray();
        string[] reaches = handlers
            .SelectMany(h => h.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => (Handler: h.Name, Type: p.ParameterType)))
            .Where(p => p.Type != typeof(TimeProvider) && p.Type.Assembly != Application)
            .Select(p => $"{p.Handler} takes {p.Type.Name}")
            .ToArray();

        Assert.Equal(10, handlers.Length); // cohorts, enrolment, reviews, LMS, xAPI, practice, outcomes, webhooks, audit, erasures
        Assert.Equal([], reaches);
    }

    [Fact]
    public void Domain_ProjectFile_HasNoPackageOrProjectReferences()
    {
        string project = File.ReadAllText(Path.Combine(Root(), "src", "Domain", "Cohorts.Domain.csproj"));

        Assert.DoesNotContain("PackageReference", project, StringComparison.Ordinal);
        Assert.DoesNotContain("ProjectReference", project, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryErrorCode_IsInTheOpenApiDocument_AndNoOther()
    {
        var document = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(Root(), "src", "Api", "openapi.json")))!;
        string[] documented = document["components"]!["schemas"]!["Problem"]!["properties"]!["code"]!["enum"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray();

        Assert.Equal(ErrorCodes.All.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FunctionsApp.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("FunctionsApp.sln not found above the test output.");
    }
}
