using System.Reflection;

namespace Cohorts.Domain.Tests;

public class ArchitectureTests
{
    private static readonly string[] Forbidden = ["Azure", "Microsoft.Azure", "Microsoft.Graph", "Microsoft.DurableTask", "DurableTask", "Microsoft.AspNetCore", "Grpc", "CsvHelper"];

    [Fact]
    public void Domain_ReferencesNoAzureGraphOrDurableAssembly()
    {
        AssemblyName[] references = typeof(CohortPlan).Assembly.GetReferencedAssemblies();

        Assert.Contains(references, r => r.Name == "System.Runtime"); // the check reads real references
        string[] offending = references.Select(r => r.Name!).Where(name => Forbidden.Any(f => name == f || name.StartsWith(f + ".", StringComparison.Ordinal))).ToArray();
        Assert.Empty(offending);
    }

    [Fact]
    public void Domain_ProjectFile_HasNoPackageReferences()
    {
        string project = File.ReadAllText(Path.Combine(FindRoot(), "src", "Domain", "Cohorts.Domain.csproj"));

        Assert.DoesNotContain("PackageReference", project, StringComparison.Ordinal);
        Assert.DoesNotContain("ProjectReference", project, StringComparison.Ordinal);
    }

    private static string FindRoot()
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
