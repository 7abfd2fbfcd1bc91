using System.Text.Json.Nodes;
using Cohorts.Connectors.Graph;
using Cohorts.Domain.Enrolment;
using Cohorts.TestSupport;

namespace Cohorts.Connectors.Tests;

/// <summary>The Graph connector through the real Microsoft.Graph SDK against a loopback server with Graph's own payloads.</summary>
public sealed class GraphDirectoryTests : IAsyncLifetime
{
    private const string Members = "v1.0/groups/g-cohort/transitiveMembers/graph.user";
    private const string Delta = "v1.0/users/delta";
    private GraphStub stub = null!;

    public async Task InitializeAsync() => stub = await GraphStub.StartAsync();

    public async Task DisposeAsync() => await stub.DisposeAsync();

    private static GraphStub.Reply Ok(string body) => new(200, body);

    /// <summary>
    /// The second members page. Derived from users.list.search-guest-and-bad-mail: the doc's users carry no id, so
    /// one gets an id and an employeeId here and the other is left without any (a row the connector must reject).
    /// </summary>
    private string SecondMembersPage() => stub.Corpus("users.list.search-guest-and-bad-mail.response.json", json =>
    {
        JsonNode page = JsonNode.Parse(json)!;
        page["value"]![1]!["id"] = "c0ffee00-0000-4000-8000-000000000002";
        page["value"]![1]!["employeeId"] = "E-0042";
        return page.ToJsonString();
    });

    [Fact]
    public async Task GroupMembers_PagesToTheEnd_AndKeysUsersByEmployeeIdOrObjectId()
    {
        // Derived: the doc's transitiveMembers example is one page; a nextLink to a second page is added here.
        stub.On(Members, null, Ok(stub.Corpus("groups.transitiveMembers.example1.response.json", json =>
            json.Replace("\"value\"", $"\"@odata.nextLink\": \"{stub.BaseAddress}v1.0/groups/g-cohort/transitiveMembers/graph.user?$skiptoken=page2\", \"value\"", StringComparison.Ordinal))));
        stub.On(Members, "page2", Ok(SecondMembersPage()));
        var directory = new GraphDirectory(stub.Client());

        var rows = new List<HrRow>();
        await foreach (HrRow row in directory.GroupMembersAsync("g-cohort"))
        {
            rows.Add(row);
        }

        Assert.Equal(3, rows.Count);
        Assert.Equal("11111111-2222-3333-4444-555555555555", rows[0].Record!.EmployeeId); // no employeeId: the object id stands in
        Assert.Equal("group1@contoso.com", rows[0].Record!.Email);
        Assert.Equal("employeeId", rows[1].Rejected!.Field);                         // Oscar Ward: no id at all
        Assert.Equal("E-0042", rows[2].Record!.EmployeeId);
        Assert.Null(rows[2].Record!.Email);                                            // "'contosoadmin1@fabrikam.com" is not trusted
        string first = stub.Requests.First().PathAndQuery;
        Assert.Contains("$select=id,userPrincipalName,mail,employeeId,displayName,department,jobTitle,accountEnabled", first, StringComparison.Ordinal);
        Assert.Contains("$expand=manager($select=id,employeeId)", first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delta_FollowsPagesToTheDeltaLink_ThenReportsChangesAndRemovals_ThenResyncsOn410()
    {
        stub.On(Delta, null, Ok(stub.Corpus("users.delta.1-initial.response.json")), Ok(stub.Corpus("users.delta.1-initial.response.json")));
        string token1 = Token(stub.Corpus("users.delta.1-initial.response.json"), "@odata.nextLink");
        string token2 = Token(stub.Corpus("users.delta.2-nextlink.response.json"), "@odata.nextLink");
        string delta3 = Token(stub.Corpus("users.delta.3-final-with-deltalink.response.json"), "@odata.deltaLink");
        stub.On(Delta, token1, Ok(stub.Corpus("users.delta.2-nextlink.response.json")), Ok(stub.Corpus("users.delta.2-nextlink.response.json")));
        stub.On(Delta, token2, Ok(stub.Corpus("users.delta.3-final-with-deltalink.response.json")), Ok(stub.Corpus("users.delta.3-final-with-deltalink.response.json")));
        stub.On(Delta, delta3, Ok(stub.Corpus("users.delta.4b-deltalink-changes-removed.response.json")));
        string delta4 = Token(stub.Corpus("users.delta.4b-deltalink-changes-removed.response.json"), "@odata.deltaLink");
        // Derived: the corpus has no 410 payload; this is Graph's error shape with the code delta queries answer when a token expired.
        stub.On(Delta, delta4, new GraphStub.Reply(410, """{"error":{"code":"resyncRequired","message":"Resync required. Replace any local cached copies of the directory objects with the versions in the directory."}}"""));
        var directory = new GraphDirectory(stub.Client());

        DirectoryDelta initial = await directory.DeltaAsync(null);
        DirectoryDelta changes = await directory.DeltaAsync(initial.DeltaLink);
        DirectoryDelta resync = await directory.DeltaAsync(changes.DeltaLink);

        Assert.Equal(7, initial.Changed.Count); // 3 + 2 + 2 users over three pages
        Assert.Equal(["86462606-fde0-4fc4-9e0c-a20eb73e54c6"], initial.Removed);
        Assert.Contains("$deltatoken=" + delta3, initial.DeltaLink, StringComparison.Ordinal);
        Assert.False(initial.FullResync);
        Assert.Equal(["25dcffff-959e-4ece-9973-e5d9b800e8cc"], changes.Changed.Select(c => c.Record.EmployeeId));
        Assert.Equal(["8ffff70c-1c63-4860-b963-e34ec660931d"], changes.Removed);
        Assert.True(resync.FullResync);
        Assert.Equal(7, resync.Changed.Count);
        Assert.Equal(initial.DeltaLink, resync.DeltaLink);
        string first = stub.Requests.First().PathAndQuery;
        Assert.Contains("manager", first, StringComparison.Ordinal);          // selected…
        Assert.DoesNotContain("$expand", first, StringComparison.Ordinal);    // …never expanded on delta
    }

    [Fact]
    public async Task Throttled_WaitsTheFractionalRetryAfter_ThenSucceeds()
    {
        // Derived: the corpus 429 says Retry-After: 2.128; the same fractional form, shortened to keep the suite fast.
        var throttled = new GraphStub.Reply(429, stub.Corpus("error.429-throttled.response.json"), new Dictionary<string, string> { ["Retry-After"] = "0.6" });
        stub.On(Members, null, throttled, Ok(stub.Corpus("groups.transitiveMembers.example1.response.json")));
        var directory = new GraphDirectory(stub.Client());

        var rows = new List<HrRow>();
        await foreach (HrRow row in directory.GroupMembersAsync("g-cohort"))
        {
            rows.Add(row);
        }

        Assert.Single(rows);
        DateTime[] at = stub.Requests.Select(r => r.At).ToArray();
        Assert.Equal(2, at.Length);
        // waited what the header asked: not nothing, and not Kiota's own 3 s back-off for a header it cannot read
        Assert.InRange((at[1] - at[0]).TotalSeconds, 0.55, 2.5);
    }

    [Theory]
    [InlineData("2.128", 2128)]
    [InlineData("10", 10000)]
    [InlineData("0.25", 250)]
    public void RetryAfter_ReadsFractionalSeconds(string header, int milliseconds)
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("Retry-After", header);

        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), RetryAfterHandler.RetryAfter(response, DateTimeOffset.UnixEpoch));
    }

    private static string Token(string json, string link) =>
        JsonNode.Parse(json)![link]!.GetValue<string>().Split("token=", 2)[1];
}
