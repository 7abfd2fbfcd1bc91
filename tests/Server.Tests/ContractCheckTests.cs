using System.Text.Json.Nodes;
using Cohorts.TestSupport;

namespace Cohorts.Server.Tests;

/// <summary>
/// The checker every end-to-end response goes through, shown to fail on drift: hand-written answers against the
/// repository's document (no server needed).
/// </summary>
public class ContractCheckTests
{
    private const string Decided = """
        {"submissionId":"c1.abc","cohortId":"c1","participantId":"B1","stepId":"builders-4","track":"builders","attempt":1,
         "artifactUrl":"https://git.example.com/b1","status":"accepted","reviewerId":"rev-a","submittedAt":"2026-11-27T09:00:00+00:00",
         "remindAt":"2026-11-28T09:00:00+00:00","dueAt":"2026-11-29T09:00:00+00:00","remaining":null,"remindedAt":null,"escalatedAt":null,
         "escalatedTo":[],"slaBreached":false,"decidedAt":"2026-11-27T10:00:00+00:00","decidedBy":"rev-a","verdict":"accepted",
         "feedback":"Good.","rubric":null,"timeToFeedback":"PT1H","moves":[]}
        """;

    private static readonly KeyValuePair<string, IEnumerable<string>>[] NoHeaders = [];

    [Fact]
    public void ADocumentedAnswer_KeepsTheContract()
    {
        Assert.Empty(Check("GET", "/submissions/c1.abc", 200, Decided));
    }

    [Theory]
    [InlineData("\"timeToFeedback\":\"PT1H\"", "\"timeToFeedback\":3600", "/timeToFeedback")]     // a duration sent as seconds
    [InlineData("\"verdict\":\"accepted\"", "\"verdict\":\"approved\"", "/verdict")]            // a value outside the enumeration
    [InlineData("\"slaBreached\":false", "\"slaBreached\":null", "/slaBreached")]              // a null the schema forbids
    [InlineData("\"reviewerId\":\"rev-a\",", "", "reviewerId")]                                // a member gone
    [InlineData("\"reviewerId\":\"rev-a\",", "\"reviewer\":\"rev-a\",", "reviewer")]           // a member renamed
    public void ADriftedBody_IsNamed(string from, string to, string named)
    {
        IReadOnlyList<string> problems = Check("GET", "/submissions/c1.abc", 200, Decided.Replace(from, to, StringComparison.Ordinal));

        Assert.NotEmpty(problems);
        Assert.Contains(problems, p => p.Contains(named, StringComparison.Ordinal));
    }

    [Fact]
    public void AnUndocumentedStatus_MediaType_ErrorCode_OrHeader_IsNamed()
    {
        Assert.Contains("status not documented", Assert.Single(Check("GET", "/submissions/c1.abc", 409, "{}")), StringComparison.Ordinal);
        Assert.Contains("text/plain", Assert.Single(Check("GET", "/submissions/c1.abc", 200, "accepted", "text/plain")), StringComparison.Ordinal);
        string problem = """{"type":"urn:cohorts:problem:x","title":"t","status":404,"detail":"d","code":"noSuchCode","field":null,"errors":null,"instance":null}""";
        Assert.Contains(Check("GET", "/submissions/c1.abc", 404, problem, "application/problem+json"), p => p.Contains("/code", StringComparison.Ordinal));
        Assert.Contains("Location", Assert.Single(Check("POST", "/cohorts/c1/submissions", 202, Decided)), StringComparison.Ordinal);
        Assert.Empty(ContractCheck.Default.Check("POST", "/cohorts/c1/submissions", 202, [new("Location", ["/api/submissions/c1.abc"])], "application/json", Decided));
    }

    [Fact]
    public void OpenApiNullable_ReadsAsJsonSchemaNull()
    {
        JsonNode schema = ContractCheck.ToJsonSchema(JsonNode.Parse("""{"type":"string","enum":["a"],"nullable":true}""")!, closed: true);

        Assert.Equal("""{"type":["string","null"],"enum":["a",null]}""", schema.ToJsonString());
    }

    private static IReadOnlyList<string> Check(string method, string path, int status, string body, string mediaType = "application/json") =>
        ContractCheck.Default.Check(method, path, status, NoHeaders, mediaType, body);
}
