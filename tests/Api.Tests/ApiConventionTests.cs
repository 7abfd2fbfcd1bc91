using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cohorts.Domain;

namespace Cohorts.Api.Tests;

public class ApiConventionTests
{
    private static ClaimsPrincipal User(params string[] roles) =>
        new(new ClaimsIdentity(roles.Select(r => new Claim(ClaimTypes.Role, r)), "test"));

    [Theory]
    [InlineData(new[] { "hr" }, true)]
    [InlineData(new[] { "admin" }, true)]
    [InlineData(new[] { "leader" }, false)]
    [InlineData(new string[0], false)]
    public void Allows_HrRoute_ForHrOrAdminOnly(string[] roles, bool allowed)
    {
        Assert.Equal(allowed, ApiRoles.Allows(User(roles), ApiRoutes.CreateCohort.Roles));
    }

    [Fact]
    public void Allows_AnonymousRoute_ForAnyone()
    {
        Assert.True(ApiRoles.Allows(new ClaimsPrincipal(), ApiRoutes.Health.Roles));
    }

    [Fact]
    public void CohortView_Json_UsesCamelCaseEnumsAndIsoDurations()
    {
        CohortPlan plan = CohortPlanFactory.Create(
            new CohortPlanDraft { Id = "c", Name = "n", UseCase = new UseCaseDraft { Title = "t", Problem = "p" }, Checkpoints = ["PT5S", "P90D"], Leaders = ["l@example.com"], ProgramLead = "p@example.com" },
            new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)).Plan!;
        CohortView view = CohortView.From(CohortRecord.New(plan, "fp", plan.StartsAt), CohortStatus.Scheduled);

        JsonNode json = JsonNode.Parse(JsonSerializer.Serialize(view, Cohorts.Connectors.Json.CohortsJson.Options))!;

        Assert.Equal("scheduled", json["status"]!.GetValue<string>());
        Assert.Equal("builders", json["tracks"]![0]!.GetValue<string>());
        Assert.Equal("P2D", json["reviewPolicy"]!["window"]!.GetValue<string>());
        Assert.Equal("P90D", json["checkpoints"]![1]!["offset"]!.GetValue<string>());
        Assert.Equal("pending", json["checkpoints"]![1]!["status"]!.GetValue<string>());
        // 1 Jan 2026 + 90 days: 31 (Jan) + 28 (Feb) + 31 (Mar) = 1 April
        Assert.Equal("2026-04-01T00:00:00+00:00", json["checkpoints"]![1]!["dueAt"]!.GetValue<string>());
    }

    [Fact]
    public void OpenApiDocument_DescribesEveryRoute()
    {
        JsonNode document = JsonNode.Parse(SystemEndpoints.OpenApiDocument)!;

        foreach (ApiRoute route in ApiRoutes.All)
        {
            JsonNode? operation = document["paths"]?["/" + route.Template]?[route.Method.ToLowerInvariant()];
            Assert.True(operation is not null, $"{route.Method} /{route.Template} is not in openapi.json");
            Assert.Equal(route.Name, operation!["operationId"]!.GetValue<string>());
            Assert.Equal(route.IsAnonymous, operation["security"] is JsonArray { Count: 0 });
            Assert.Equal(route.Roles, operation["x-roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        }

        // both schemes a caller may use are declared, and a non-anonymous route takes either
        Assert.Equal(["apiKey", "bearer"], document["components"]!["securitySchemes"]!.AsObject().Select(s => s.Key).Order(StringComparer.Ordinal));
        Assert.Equal(["apiKey", "bearer"], document["security"]!.AsArray().SelectMany(r => r!.AsObject().Select(s => s.Key)));
    }

    [Fact]
    public async Task OpenApiDocument_LintsWithoutErrors_UnderRedoclysRecommendedRules()
    {
        string root = RepoRoot();
        string redocly = Path.Combine(root, "node_modules", ".bin", "redocly");
        Assert.True(File.Exists(redocly), $"{redocly} is missing: the build runs npm ci in the repository root (package.json pins @redocly/cli).");
        var start = new System.Diagnostics.ProcessStartInfo(redocly) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        foreach (string argument in new[] { "lint", Path.Combine("src", "Api", "openapi.json"), "--format=summary" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var lint = System.Diagnostics.Process.Start(start)!;
        Task<string> output = lint.StandardOutput.ReadToEndAsync();
        Task<string> errors = lint.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await lint.WaitForExitAsync(limit.Token);
        string said = await output + await errors;

        Assert.True(lint.ExitCode == 0, $"redocly lint found errors:\n{said}");
        Assert.Contains("valid", said, StringComparison.OrdinalIgnoreCase);
    }

    private static string RepoRoot()
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
