using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Cohorts.Api.Tests;

/// <summary>Query strings checked against what the OpenAPI document declares for each operation.</summary>
public class QueryParametersTests
{
    private static QueryCollection Query(params (string Name, string[] Values)[] parameters) =>
        new(parameters.ToDictionary(p => p.Name, p => new StringValues(p.Values)));

    [Theory]
    [InlineData("pageSize", "200", null)]
    [InlineData("pageSize", "201", "pageSize")]
    [InlineData("pageSize", "0", "pageSize")]
    [InlineData("pageSize", "ten", "pageSize")]
    [InlineData("pageSize", "1e3", "pageSize")]
    [InlineData("status", "open", null)]
    [InlineData("status", "closed", "status")]
    [InlineData("reviewerId", "rev-a", null)]
    [InlineData("sort", "dueAt", "sort")]
    public void ListSubmissions_TakesItsDeclaredParameters_AndRefusesOthers(string name, string value, string? refused)
    {
        ApiProblem? problem = QueryParameters.Check(ApiRoutes.ListSubmissions, Query((name, [value])));

        Assert.Equal(refused, problem?.Field);
        Assert.True(problem is null || problem.Code == "invalidQuery");
    }

    [Theory]
    [InlineData("leaverThreshold", "0.25", null)]
    [InlineData("leaverThreshold", "NaN", "leaverThreshold")]
    [InlineData("leaverThreshold", "Infinity", "leaverThreshold")]
    [InlineData("leaverThreshold", "1.5", "leaverThreshold")]
    [InlineData("dryRun", "true", null)]
    [InlineData("dryRun", "yes", "dryRun")]
    [InlineData("encoding", "UTF-8", null)]
    [InlineData("encoding", "ebcdic", "encoding")]
    public void StartImport_ChecksTypesEnumsAndRanges(string name, string value, string? refused)
    {
        Assert.Equal(refused, QueryParameters.Check(ApiRoutes.StartImport, Query((name, [value])))?.Field);
    }

    [Fact]
    public void AParameterGivenTwice_OrToAnOperationWithoutParameters_IsRefused()
    {
        Assert.Equal("pageSize", QueryParameters.Check(ApiRoutes.ListCohorts, Query(("pageSize", ["1", "2"])))?.Field);
        Assert.Equal("x", QueryParameters.Check(ApiRoutes.CreateCohort, Query(("x", ["1"])))?.Field);
        Assert.Null(QueryParameters.Check(ApiRoutes.CreateCohort, Query(("code", ["function-key"])), "code"));
    }
}
