using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Cohorts.TestSupport;

namespace Cohorts.Server.Tests;

/// <summary>Enrolment from HR exports through the HTTP API on Azurite.</summary>
[Collection(EndToEnd.Name)]
public sealed class EnrolmentEndToEndTests(ServerFixture fixture)
{
    private ServerProcess Server => fixture.Server;

    // Expected per-track counts: the hand-made reading of each title (SegmentationCorpusTests) times the number of
    // active people with that title in the file, added up by hand.
    public static TheoryData<string, int, int, int, Dictionary<string, int>> CorpusFiles => new()
    {
        {
            "ibm_hr_employee_attrition.csv", 1233, 97, 237,
            new Dictionary<string, int> { ["consumers"] = 678, ["builders"] = 245, ["leaders"] = 213, ["translators"] = 0, ["governors"] = 0, ["specialists"] = 0 }
        },
        {
            "HRDataset_v14.csv", 207, 0, 104,
            new Dictionary<string, int> { ["consumers"] = 174, ["builders"] = 17, ["translators"] = 10, ["leaders"] = 6, ["governors"] = 0, ["specialists"] = 0 }
        },
    };

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public async Task CorpusExport_ImportsWithTheExpectedTracks_AndTheSameFileAgainChangesNothing(string file, int joiners, int triage, int leaversInFile, Dictionary<string, int> byTrack)
    {
        string cohortId = await Plans.CreateAsync(Server, "hr");
        byte[] csv = Imports.Corpus("hr", file);

        JsonNode first = await Imports.ImportAsync(Server, cohortId, csv);

        Assert.Equal("applied", first["state"]!.GetValue<string>());
        Assert.Equal(joiners, Imports.Count(first, "joiners"));
        Assert.Equal(triage, Imports.Count(first, "triage"));
        Assert.Equal(0, Imports.Count(first, "invalid"));
        Assert.Equal(leaversInFile, Imports.Count(first, "terminatedNotEnrolled"));
        JsonNode cohort = await Server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}");
        Assert.Equal(joiners, cohort["roster"]!["active"]!.GetValue<int>());
        Assert.Equal(triage, cohort["roster"]!["triage"]!.GetValue<int>());
        foreach ((string track, int count) in byTrack)
        {
            Assert.True(count == cohort["roster"]!["byTrack"]![track]!.GetValue<int>(), $"{track}: expected {count}, got {cohort["roster"]!["byTrack"]![track]}");
        }

        JsonNode second = await Imports.ImportAsync(Server, cohortId, csv);

        Assert.Equal("applied", second["state"]!.GetValue<string>());
        Assert.Equal(0, Imports.Count(second, "joiners") + Imports.Count(second, "movers") + Imports.Count(second, "leavers") + Imports.Count(second, "updated") + Imports.Count(second, "rejoiners"));
        Assert.Equal(joiners, Imports.Count(second, "unchanged"));
    }

    [Fact]
    public async Task TheSameExportAppliedThreeTimesAtOnce_EnrolsEachPersonOnce_WithOneJoinedEventEach()
    {
        // the IBM export: 1,233 active people, 97 of them in triage, 678 consumers (the hand-made table above). Three dry
        // runs are each read against the empty roster, so each lists all 1,233 as joiners; then all three are applied at once
        string cohortId = await Plans.CreateAsync(Server, "thrice");
        byte[] csv = Imports.Corpus("hr", "ibm_hr_employee_attrition.csv");
        var dryRuns = new List<JsonNode>();
        for (int i = 0; i < 3; i++)
        {
            dryRuns.Add(await Imports.ImportAsync(Server, cohortId, csv, "?dryRun=true"));
        }

        Assert.All(dryRuns, d => Assert.Equal("awaitingApply", d["state"]!.GetValue<string>()));
        Assert.All(dryRuns, d => Assert.Equal(1233, Imports.Count(d, "joiners")));
        string[] ids = [.. dryRuns.Select(d => d["importId"]!.GetValue<string>())];
        (HttpStatusCode Status, JsonNode? Body)[] applying = await Task.WhenAll(ids.Select(id => Server.PostJsonAsync("hr", $"/api/cohorts/{cohortId}/imports/{id}/apply", new { })));
        Assert.All(applying, a => Assert.Equal(HttpStatusCode.Accepted, a.Status));
        JsonNode[] settled = await Task.WhenAll(ids.Select(id => Imports.SettledAsync(Server, cohortId, id)));

        Assert.All(settled, i => Assert.Equal("applied", i["state"]!.GetValue<string>()));
        // between them the three applied each person once
        Assert.Equal(1233, settled.Sum(i => Imports.Count(i, "applied")));
        JsonNode cohort = await Server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}");
        Assert.Equal(1233, cohort["roster"]!["active"]!.GetValue<int>());
        Assert.Equal(97, cohort["roster"]!["triage"]!.GetValue<int>());
        Assert.Equal(678, cohort["roster"]!["byTrack"]!["consumers"]!.GetValue<int>());

        List<string> joined = [.. (await AuditEndToEndTests.ReadAllAsync(Server, cohortId, 200))
            .Where(e => e["action"]!.GetValue<string>() == "participant.joined").Select(e => e["targets"]!["participantId"]!.GetValue<string>())];

        Assert.Equal(1233, joined.Count);
        Assert.Equal(1233, joined.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task SecondExport_DryRunShowsExactlyTheDiff_AndApplySuspendsLeavers()
    {
        string cohortId = await Plans.CreateAsync(Server, "diff");
        JsonNode v1 = await Imports.ImportAsync(Server, cohortId, Imports.Fixture("roster-v1.csv"));
        Assert.Equal("applied", v1["state"]!.GetValue<string>());
        Assert.Equal(10, Imports.Count(v1, "joiners"));
        Assert.Equal(["E009"], v1["diff"]!["triage"]!.AsArray().Select(t => t!.GetValue<string>()));

        JsonNode dryRun = await Imports.ImportAsync(Server, cohortId, Imports.Fixture("roster-v2.csv"), "?dryRun=true");

        Assert.Equal("awaitingApply", dryRun["state"]!.GetValue<string>());
        Assert.Equal(["E011", "E012", "E013", "E014"], Imports.Ids(dryRun, "joiners"));
        Assert.Equal(["E002", "E007"], Imports.Ids(dryRun, "movers"));
        Assert.Equal(["E003", "E006", "E009"], Imports.Ids(dryRun, "leavers"));
        Assert.Equal(5, Imports.Count(dryRun, "unchanged"));
        Assert.Equal(0, Imports.Count(dryRun, "updated"));
        var moves = dryRun["diff"]!["movers"]!.AsArray().ToDictionary(m => m!["employeeId"]!.GetValue<string>(), m => (m!["from"]!.GetValue<string>(), m["to"]!.GetValue<string>()));
        Assert.Equal(("translators", "builders"), moves["E002"]);
        Assert.Equal(("builders", "translators"), moves["E007"]);
        // nothing changed yet
        Assert.Equal("active", (await Server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}/participants/E003"))["status"]!.GetValue<string>());

        // a caller polling for the state leaves the diff out; a value that is not a boolean names the parameter
        JsonNode state = await Server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}/imports/{dryRun["importId"]}?diff=false");
        Assert.Equal(("awaitingApply", 4, 3), (state["state"]!.GetValue<string>(), Imports.Count(state, "joiners"), Imports.Count(state, "leavers")));
        Assert.Null(state["diff"]);
        using (HttpClient hr = Server.As("hr"))
        using (HttpResponseMessage refused = await hr.GetAsync(new Uri($"/api/cohorts/{cohortId}/imports/{dryRun["importId"]}?diff=maybe", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("diff", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        (HttpStatusCode applied, _) = await Server.PostJsonAsync("hr", $"/api/cohorts/{cohortId}/imports/{dryRun["importId"]}/apply", new { });
        Assert.Equal(HttpStatusCode.Accepted, applied);
        JsonNode done = await Imports.SettledAsync(Server, cohortId, dryRun["importId"]!.GetValue<string>());
        Assert.Equal("applied", done["state"]!.GetValue<string>());

        var expected = new Dictionary<string, (string Status, string? Track)>
        {
            ["E001"] = ("active", "builders"), ["E002"] = ("active", "builders"), ["E003"] = ("suspended", "consumers"),
            ["E004"] = ("active", "governors"), ["E005"] = ("active", "leaders"), ["E006"] = ("suspended", "specialists"),
            ["E007"] = ("active", "translators"), ["E008"] = ("active", "translators"), ["E009"] = ("suspended", null),
            ["E010"] = ("active", "leaders"), ["E011"] = ("active", "governors"), ["E012"] = ("active", "consumers"),
            ["E013"] = ("active", "builders"), ["E014"] = ("active", "leaders"),
        };
        Dictionary<string, JsonNode> roster = await Imports.RosterAsync(Server, cohortId);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), roster.Keys.Order(StringComparer.Ordinal));
        foreach ((string id, (string status, string? track)) in expected)
        {
            Assert.Equal(status, roster[id]["status"]!.GetValue<string>());
            Assert.Equal(track, roster[id]["track"]?.GetValue<string>());
        }

        // movers keep their history; leavers keep their record
        JsonNode e002 = roster["E002"];
        Assert.Equal(["translators", "builders"], e002["history"]!.AsArray().Select(h => h!["to"]!.GetValue<string>()));
        Assert.Equal("E001", e002["managerId"]!.GetValue<string>());
        Assert.Equal("chen.wei@example.com", roster["E003"]["email"]!.GetValue<string>());

        (HttpStatusCode again, JsonNode? problem) = await Server.PostJsonAsync("hr", $"/api/cohorts/{cohortId}/imports/{dryRun["importId"]}/apply", new { });
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Equal("importNotAwaitingApply", problem!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExportDroppingMostPeople_IsHeldByTheLeaverThreshold_UntilForced()
    {
        string cohortId = await Plans.CreateAsync(Server, "thresh");
        await Imports.ImportAsync(Server, cohortId, Imports.Fixture("roster-v1.csv"));
        byte[] onlyTwo = Encoding.UTF8.GetBytes(string.Join('\n', Encoding.UTF8.GetString(Imports.Fixture("roster-v1.csv")).Split('\n').Take(3)));

        JsonNode held = await Imports.ImportAsync(Server, cohortId, onlyTwo, "?leaverThreshold=0.2");

        Assert.Equal("blockedByLeavers", held["state"]!.GetValue<string>());
        Assert.Equal(8, Imports.Count(held, "leavers"));
        Assert.Equal(5, Imports.Count(held, "leaverLimit")); // at least five, whatever the share
        string importId = held["importId"]!.GetValue<string>();
        (HttpStatusCode refused, JsonNode? problem) = await Server.PostJsonAsync("hr", $"/api/cohorts/{cohortId}/imports/{importId}/apply", new { });
        Assert.Equal(HttpStatusCode.Conflict, refused);
        Assert.Equal("leaverThresholdExceeded", problem!["code"]!.GetValue<string>());
        Assert.Equal("active", (await Server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}/participants/E010"))["status"]!.GetValue<string>());

        (HttpStatusCode forced, _) = await Server.PostJsonAsync("hr", $"/api/cohorts/{cohortId}/imports/{importId}/apply?force=true", new { });
        Assert.Equal(HttpStatusCode.Accepted, forced);
        Assert.Equal("applied", (await Imports.SettledAsync(Server, cohortId, importId))["state"]!.GetValue<string>());
        Assert.Equal("suspended", (await Server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}/participants/E010"))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExportWithBadRows_ReportsEachByRowAndField_AndImportsTheRest()
    {
        string cohortId = await Plans.CreateAsync(Server, "bad");

        JsonNode import = await Imports.ImportAsync(Server, cohortId, Imports.Fixture("roster-bad.csv"));

        Assert.Equal("applied", import["state"]!.GetValue<string>());
        var rejected = import["rejected"]!.AsArray().Select(r => (r!["row"]!.GetValue<int>(), r["field"]!.GetValue<string>())).Order().ToList();
        Assert.Equal([(2, "employeeId"), (3, "employeeId"), (4, "email"), (5, "row"), (7, "employeeId")], rejected);
        Assert.Equal(["B001"], import["duplicateIds"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal(["B005", "B007"], Imports.Ids(import, "joiners"));
        Assert.Equal(5, Imports.Count(import, "invalid"));
        using HttpClient hr = Server.As("hr");
        Assert.Equal(HttpStatusCode.NotFound, (await hr.GetAsync(new Uri($"/api/cohorts/{cohortId}/participants/B001", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Triage_PlacedByHand_IsAnOverrideThatTheNextImportKeeps()
    {
        string cohortId = await Plans.CreateAsync(Server, "triage");
        await Imports.ImportAsync(Server, cohortId, Imports.Fixture("roster-v1.csv"));
        JsonNode triaged = await Server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}/participants?track=triage");
        Assert.Equal(["E009"], triaged["items"]!.AsArray().Select(p => p!["participantId"]!.GetValue<string>()));

        using HttpClient hr = Server.As("hr");
        using HttpResponseMessage put = await hr.PutAsync(
            new Uri($"/api/cohorts/{cohortId}/participants/E009/track", UriKind.Relative),
            new StringContent("""{"track":"translators","reason":"leads claims process changes"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        using HttpResponseMessage wrong = await hr.PutAsync(
            new Uri($"/api/cohorts/{cohortId}/participants/E009/track", UriKind.Relative),
            new StringContent("""{"track":"wizards"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);

        await Imports.ImportAsync(Server, cohortId, Imports.Fixture("roster-v1.csv"));

        JsonNode e009 = await Server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}/participants/E009");
        Assert.Equal("translators", e009["track"]!.GetValue<string>());
        Assert.True(e009["trackOverridden"]!.GetValue<bool>());
        Assert.Equal("leads claims process changes", e009["trackReason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Participants_ArePagedWithAContinuationToken()
    {
        string cohortId = await Plans.CreateAsync(Server, "pages");
        await Imports.ImportAsync(Server, cohortId, Imports.Fixture("roster-v1.csv"));

        var seen = new List<string>();
        string? token = null;
        int pages = 0;
        do
        {
            string query = $"?pageSize=4{(token is null ? string.Empty : "&continuationToken=" + Uri.EscapeDataString(token))}";
            JsonNode page = await Server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}/participants{query}");
            Assert.True(page["items"]!.AsArray().Count <= 4);
            seen.AddRange(page["items"]!.AsArray().Select(p => p!["participantId"]!.GetValue<string>()));
            token = page["continuationToken"]?.GetValue<string>();
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"E{i:000}"), seen.Order(StringComparer.Ordinal));
        Assert.True(pages >= 3);

        // a token this list did not give (made up, or another cohort's) is a bad request, not an empty page
        string otherCohort = await Plans.CreateAsync(Server, "pages-other");
        JsonNode first = await Server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}/participants?pageSize=4");
        string issued = first["continuationToken"]!.GetValue<string>();
        using HttpClient hr = Server.As("hr");
        foreach (string path in new[] { $"/api/cohorts/{cohortId}/participants?continuationToken=not-a-token", $"/api/cohorts/{otherCohort}/participants?continuationToken={issued}" })
        {
            using HttpResponseMessage refused = await hr.GetAsync(new Uri(path, UriKind.Relative));
            JsonNode problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
            Assert.Equal((HttpStatusCode.BadRequest, "invalidQuery", "continuationToken"), (refused.StatusCode, problem["code"]!.GetValue<string>(), problem["field"]!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task Import_OverTheSizeLimit_Gives413AndKeepsNothing_EvenWhenChunked()
    {
        string cohortId = await Plans.CreateAsync(Server, "big");
        byte[] big = Encoding.UTF8.GetBytes("employee_id\n" + string.Concat(Enumerable.Range(0, 120_000).Select(i => $"E{i:0000000}\n")));
        Assert.True(big.Length > 1024 * 1024);

        (HttpStatusCode declared, JsonNode? problem) = await Imports.PostCsvAsync(Server, cohortId, big);
        (HttpStatusCode chunked, _) = await Imports.PostCsvAsync(Server, cohortId, big, chunked: true);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared);
        Assert.Equal("payloadTooLarge", problem!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked);
        JsonNode cohort = await Server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}");
        Assert.Equal(0, cohort["roster"]!["active"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("?profile=oracle", "profile")]
    [InlineData("?columns=employeeId", "columns")]
    [InlineData("?encoding=ebcdic", "encoding")]
    [InlineData("?leaverThreshold=2", "leaverThreshold")]
    public async Task Import_BadQuery_Gives400NamingTheParameter(string query, string field)
    {
        string cohortId = await Plans.CreateAsync(Server, "query");

        (HttpStatusCode status, JsonNode? problem) = await Imports.PostCsvAsync(Server, cohortId, Imports.Fixture("roster-v1.csv"), query);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, problem!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Import_FileWithoutAnEmployeeIdColumn_FailsNamingItAndChangesNothing()
    {
        string cohortId = await Plans.CreateAsync(Server, "noid");

        JsonNode import = await Imports.ImportAsync(Server, cohortId, Encoding.UTF8.GetBytes("name,title\nAna,Analyst\n"));

        Assert.Equal("failed", import["state"]!.GetValue<string>());
        Assert.Equal("employeeId", import["error"]!["field"]!.GetValue<string>());
        Assert.Contains("columns=employeeId", import["error"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
