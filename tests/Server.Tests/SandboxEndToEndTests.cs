using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Cohorts.TestSupport;

namespace Cohorts.Server.Tests;

/// <summary>
/// A use case's data extract on Azurite through the API, and the sandbox links to it as a participant's tools would use
/// them: plain HTTP against the storage endpoints with nothing but the link.
/// </summary>
[Collection(EndToEnd.Name)]
public sealed class SandboxEndToEndTests(ServerFixture fixture)
{
    /// <summary>The shared server's link lifetime: short, so that the test sees a link expire.</summary>
    public const string LinkLifetime = "PT8S";

    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task ExtractLink_ReadsAndListsOnly_ItsOwnContainer_ExpiresOnTime_AndIsRefusedToALeaver()
    {
        string cohortId = Plans.UniqueId("sandbox");
        string container = "extract-" + cohortId;
        string otherId = Plans.UniqueId("sandbox-other");
        foreach ((string id, string extract) in new[] { (cohortId, container), (otherId, "extract-" + otherId) })
        {
            Dictionary<string, object?> plan = Plans.Compressed(id, "P30D", "P60D", "P90D");
            plan["useCase"] = new Dictionary<string, object?> { ["title"] = "Claims triage model", ["problem"] = "Route incoming claims", ["dataExtract"] = extract };
            Assert.Equal(HttpStatusCode.Created, (await Server.PostJsonAsync("hr", "/api/cohorts", plan)).Status);
        }

        const string Claims = "claim_id,amount,desk\n1001,250.00,motor\n1002,9800.50,property\n";
        Assert.Equal(HttpStatusCode.Created, (await PutExtractAsync(cohortId, "claims.csv", Claims)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PutExtractAsync(otherId, "secret.csv", "not yours\n")).StatusCode);
        // a file too large is refused and the stored one stays whole (the shared server's limit is 1 MiB)
        using (HttpResponseMessage tooLarge = await PutExtractAsync(cohortId, "claims.csv", new string('x', 1_100_000)))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        }

        // twenty uploads of one file at once: each is stored whole or told to retry (503), never a 500, and the file
        // is one of them, whole
        HttpResponseMessage[] racing = await Task.WhenAll(Enumerable.Range(1, 20).Select(i => PutExtractAsync(cohortId, "race.csv", $"version,{i}\n")));
        Assert.All(racing, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable, $"{(int)r.StatusCode}"));
        Assert.Contains(racing, r => r.StatusCode == HttpStatusCode.Created);

        byte[] csv = Encoding.UTF8.GetBytes("employee_id,email,first_name,last_name,job_title,department,status\nS1,s1@example.com,Sam,One,Data Scientist,Analytics,Active\nS2,s2@example.com,Sue,Two,Data Engineer,Analytics,Active\n");
        Assert.Equal("applied", (await Imports.ImportAsync(Server, cohortId, csv))["state"]!.GetValue<string>());
        await Eventually.WaitAsync(async () => (await Server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}"))["status"]!.GetValue<string>(), s => s == "running", TimeSpan.FromSeconds(30), "the cohort running");

        DateTimeOffset asked = DateTimeOffset.UtcNow;
        (HttpStatusCode status, JsonNode? link) = await Server.PostJsonAsync("integrator", $"/api/cohorts/{cohortId}/participants/S1/sandbox-access", new { });
        Assert.Equal(HttpStatusCode.Created, status);
        var url = new Uri(link!["url"]!.GetValue<string>());
        DateTimeOffset expiresAt = link["expiresAt"]!.GetValue<DateTimeOffset>();
        // the configured lifetime, 8 s, from the moment it was asked for (a second's leeway for the request itself)
        Assert.InRange((expiresAt - asked).TotalSeconds, 7, 9.5);
        Assert.Contains("sp=rl", url.Query, StringComparison.Ordinal); // read and list: nothing else was granted

        using var anyone = new HttpClient(); // a participant's tool: nothing but the link
        Assert.Equal(["claims.csv", "race.csv"], link["files"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));
        string raced = await anyone.GetStringAsync(new Uri(link["files"]![1]!["url"]!.GetValue<string>()));
        Assert.Matches(@"^version,([1-9]|1[0-9]|20)\n$", raced);
        JsonNode file = link["files"]![0]!;
        Assert.Equal(Claims, await anyone.GetStringAsync(new Uri(file["url"]!.GetValue<string>())));
        string listing = await anyone.GetStringAsync(new Uri(url + "&restype=container&comp=list"));
        Assert.Contains("<Name>claims.csv</Name>", listing, StringComparison.Ordinal);

        // cannot write, nor overwrite, nor delete; cannot read another container with the same signature
        var put = new HttpRequestMessage(HttpMethod.Put, new Uri($"{url.GetLeftPart(UriPartial.Path)}/planted.csv{url.Query}")) { Content = new StringContent("planted") };
        put.Headers.Add("x-ms-blob-type", "BlockBlob");
        Assert.Equal(HttpStatusCode.Forbidden, (await anyone.SendAsync(put)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await anyone.DeleteAsync(new Uri(file["url"]!.GetValue<string>()))).StatusCode);
        string other = url.GetLeftPart(UriPartial.Path).Replace(container, "extract-" + otherId, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await anyone.GetAsync(new Uri($"{other}/secret.csv{url.Query}"))).StatusCode);

        // the link is audited, naming the participant
        JsonNode audit = await Server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}/audit?pageSize=50");
        JsonNode issued = Assert.Single(audit["items"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "issueSandboxAccess")!;
        Assert.Equal(("test-integrator", "S1", "succeeded"), (issued["actorId"]!.GetValue<string>(), issued["targets"]!["participantId"]!.GetValue<string>(), issued["outcome"]!.GetValue<string>()));

        // expired: the same file is refused once expiresAt has passed
        await Task.Delay((expiresAt - DateTimeOffset.UtcNow) + TimeSpan.FromSeconds(1.5));
        Assert.Equal(HttpStatusCode.Forbidden, (await anyone.GetAsync(new Uri(file["url"]!.GetValue<string>()))).StatusCode);

        // S1 leaves (a full export without them): a new link is refused; S2 still gets one
        byte[] without = Encoding.UTF8.GetBytes("employee_id,email,first_name,last_name,job_title,department,status\nS2,s2@example.com,Sue,Two,Data Engineer,Analytics,Active\n");
        Assert.Equal("applied", (await Imports.ImportAsync(Server, cohortId, without))["state"]!.GetValue<string>());
        (HttpStatusCode refusedStatus, JsonNode? refused) = await Server.PostJsonAsync("hr", $"/api/cohorts/{cohortId}/participants/S1/sandbox-access", new { });
        Assert.Equal((HttpStatusCode.Conflict, "participantNotActive"), (refusedStatus, refused!["code"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Created, (await Server.PostJsonAsync("hr", $"/api/cohorts/{cohortId}/participants/S2/sandbox-access", new { })).Status);
    }

    [Fact]
    public async Task BadNamesAndMissingExtract_AreRefused_NamingTheReason()
    {
        // a product container cannot be an extract: a link to it would hand out HR exports
        Dictionary<string, object?> plan = Plans.Compressed(Plans.UniqueId("sandbox-bad"), "P30D", "P60D", "P90D");
        plan["useCase"] = new Dictionary<string, object?> { ["title"] = "Claims", ["problem"] = "Route claims", ["dataExtract"] = "imports" };
        (HttpStatusCode status, JsonNode? problem) = await Server.PostJsonAsync("hr", "/api/cohorts", plan);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(problem!["errors"]!.AsArray(), e => e!["field"]!.GetValue<string>() == "useCase.dataExtract");

        // no extract named: storing and linking are refused with the reason; a file name with a path is refused
        string cohortId = await Plans.CreateAsync(Server, "sandbox-none");
        using (HttpResponseMessage noExtract = await PutExtractAsync(cohortId, "data.csv", "a,b\n"))
        {
            Assert.Equal(HttpStatusCode.Conflict, noExtract.StatusCode);
            Assert.Contains("\"noDataExtract\"", await noExtract.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (HttpResponseMessage dotted = await PutExtractAsync(cohortId, ".hidden", "a,b\n"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, dotted.StatusCode);
            Assert.Contains("\"invalidFileName\"", await dotted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // a cohort that has not started gives no link yet
        string later = Plans.UniqueId("sandbox-later");
        Dictionary<string, object?> scheduled = Plans.Compressed(later, "P30D", "P60D", "P90D");
        scheduled["startsAt"] = DateTimeOffset.UtcNow.AddDays(10);
        scheduled["useCase"] = new Dictionary<string, object?> { ["title"] = "Claims", ["problem"] = "Route claims", ["dataExtract"] = "extract-" + later };
        Assert.Equal(HttpStatusCode.Created, (await Server.PostJsonAsync("hr", "/api/cohorts", scheduled)).Status);
        byte[] csv = Encoding.UTF8.GetBytes("employee_id,email,first_name,last_name,job_title,department,status\nL1,l1@example.com,Lee,One,Data Scientist,Analytics,Active\n");
        Assert.Equal("applied", (await Imports.ImportAsync(Server, later, csv))["state"]!.GetValue<string>());
        (HttpStatusCode notYet, JsonNode? why) = await Server.PostJsonAsync("hr", $"/api/cohorts/{later}/participants/L1/sandbox-access", new { });
        Assert.Equal((HttpStatusCode.Conflict, "cohortNotStarted"), (notYet, why!["code"]!.GetValue<string>()));
    }

    private async Task<HttpResponseMessage> PutExtractAsync(string cohortId, string fileName, string content)
    {
        using HttpClient hr = Server.As("hr");
        var body = new StringContent(content, Encoding.UTF8);
        body.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return await hr.PutAsync(new Uri($"/api/cohorts/{cohortId}/extract/{Uri.EscapeDataString(fileName)}", UriKind.Relative), body);
    }
}
