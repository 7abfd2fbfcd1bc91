using System.Text;
using Cohorts.Domain;
using Microsoft.AspNetCore.Http;

namespace Cohorts.Api.Tests;

public class RequestBodyTests
{
    private static HttpRequest Request(string body, string? contentType = "application/json")
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        context.Request.ContentType = contentType;
        return context.Request;
    }

    [Fact]
    public async Task ReadJson_WrongTypeDeepInside_NamesThePath()
    {
        (CohortPlanDraft? draft, ApiProblem? problem) = await RequestBody.ReadJsonAsync<CohortPlanDraft>(
            Request("""{"id":"x","reviewers":[{"id":"r","backup":"yes"}]}"""), CancellationToken.None);

        Assert.Null(draft);
        Assert.Equal("invalidJson", problem!.Code);
        Assert.Equal("reviewers[0].backup", problem.Field);
    }

    [Fact]
    public async Task ReadJson_AMemberSentTwice_IsInvalidJson_InAPlanAndInAMergePatch()
    {
        (_, ApiProblem? plan) = await RequestBody.ReadJsonAsync<CohortPlanDraft>(Request("""{"id":"x","name":"a","name":"b"}"""), CancellationToken.None);
        (_, ApiProblem? patch) = await RequestBody.ReadJsonAsync<System.Text.Json.Nodes.JsonObject>(Request("""{"name":"a","name":"b"}"""), CancellationToken.None);

        Assert.Equal(("invalidJson", 400), (plan!.Code, plan.Status));
        Assert.Equal(("invalidJson", 400), (patch!.Code, patch.Status));
    }

    [Theory]
    [InlineData("name", 4000, null, null)]
    [InlineData("name", 4001, "valueTooLong", "name")]
    [InlineData("useCase.sandboxUrl", 2048, null, null)]
    [InlineData("useCase.sandboxUrl", 2049, "valueTooLong", "useCase.sandboxUrl")]
    public async Task ReadJson_AStringOverItsBound_IsRefusedNamingIt(string field, int length, string? code, string? named)
    {
        string value = new('x', length);
        string body = field == "name" ? $$"""{"id":"x","name":"{{value}}"}""" : $$$"""{"id":"x","useCase":{"sandboxUrl":"{{{value}}}"}}""";

        (_, ApiProblem? problem) = await RequestBody.ReadJsonAsync<CohortPlanDraft>(Request(body), CancellationToken.None);

        Assert.Equal((code, named), (problem?.Code, problem?.Field));
    }

    [Theory]
    [InlineData("é", 4000, null)] // 8,000 bytes of UTF-8, 4,000 characters: at the limit
    [InlineData("é", 4001, "valueTooLong")]
    [InlineData("\\u0041", 4000, null)] // 24,000 bytes as sent, 4,000 characters once read
    [InlineData("\\u0041", 4001, "valueTooLong")]
    [InlineData("😀", 2000, null)] // one character of four UTF-8 bytes is two UTF-16 units: 4,000 units
    [InlineData("😀", 2001, "valueTooLong")]
    public async Task ReadJson_CountsCharactersAsStorageDoes_NotBytesAsSent(string unit, int repeat, string? code)
    {
        string body = $$"""{"id":"x","name":"{{string.Concat(Enumerable.Repeat(unit, repeat))}}"}""";

        (_, ApiProblem? problem) = await RequestBody.ReadJsonAsync<CohortPlanDraft>(Request(body), CancellationToken.None);

        Assert.Equal(code, problem?.Code);
    }

    [Fact]
    public async Task ReadJson_AListOrAMapOverItsBound_IsRefusedNamingIt()
    {
        string leaders = "[" + string.Join(",", Enumerable.Range(0, 201).Select(i => $"\"l{i}@example.com\"")) + "]";
        string paths = "{" + string.Join(",", Enumerable.Range(0, 51).Select(i => $"\"p{i}\":[]")) + "}";

        (_, ApiProblem? list) = await RequestBody.ReadJsonAsync<CohortPlanDraft>(Request($$"""{"leaders":{{leaders}}}"""), CancellationToken.None);
        (_, ApiProblem? map) = await RequestBody.ReadJsonAsync<CohortPlanDraft>(Request($$"""{"paths":{{paths}}}"""), CancellationToken.None);

        Assert.Equal(("tooManyItems", "leaders"), (list?.Code, list?.Field));
        Assert.Equal(("tooManyItems", "paths"), (map?.Code, map?.Field));
    }

    [Fact]
    public async Task ReadJson_Truncated_IsInvalidJson()
    {
        (_, ApiProblem? problem) = await RequestBody.ReadJsonAsync<CohortPlanDraft>(Request("""{"id":"x","""), CancellationToken.None);

        Assert.Equal(400, problem!.Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    public async Task ReadJson_NotJsonMediaType_Is415(string? contentType)
    {
        (_, ApiProblem? problem) = await RequestBody.ReadJsonAsync<CohortPlanDraft>(Request("{}", contentType), CancellationToken.None);

        Assert.Equal(415, problem!.Status);
    }

    [Fact]
    public async Task ReadJson_JsonWithCharset_IsAccepted()
    {
        (CohortPlanDraft? draft, _) = await RequestBody.ReadJsonAsync<CohortPlanDraft>(Request("""{"id":"x"}""", "application/json; charset=utf-8"), CancellationToken.None);

        Assert.Equal("x", draft!.Id);
    }

    [Fact]
    public async Task ReadJson_EmptyBody_SaysSo()
    {
        (_, ApiProblem? problem) = await RequestBody.ReadJsonAsync<CohortPlanDraft>(Request(string.Empty), CancellationToken.None);

        Assert.Contains("empty", problem!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Fingerprint_SameMeaning_SameDigest_OtherMeaning_OtherDigest()
    {
        var a = new CohortPlanDraft { Id = "x", Checkpoints = ["PT5S"] };
        var b = new CohortPlanDraft { Id = "x", Checkpoints = ["PT5S"] };
        var c = new CohortPlanDraft { Id = "x", Checkpoints = ["PT6S"] };

        Assert.Equal(RequestBody.Fingerprint(a), RequestBody.Fingerprint(b));
        Assert.NotEqual(RequestBody.Fingerprint(a), RequestBody.Fingerprint(c));
    }
}
