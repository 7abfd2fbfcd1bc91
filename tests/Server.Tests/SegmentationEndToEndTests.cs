using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Cohorts.TestSupport;

namespace Cohorts.Server.Tests;

/// <summary>
/// Segmentation as HR meets it through the API: an export with an occupation-code column and a track column, the
/// import's triage grouped by title, and a rule HR adds to the cohort's plan after reading it. Expected tracks are a
/// person's reading of each row (the ISCO-08 group names for the codes).
/// </summary>
[Collection(EndToEnd.Name)]
public sealed class SegmentationEndToEndTests(ServerFixture fixture)
{
    private ServerProcess Server => fixture.Server;

    // Employee ID;Job Title;Department;ISCO-08;Track — semicolons, as a European export writes them
    private const string Export = """
        Employee ID;Job Title;Department;ISCO-08;Track
        E1;Data Scientist;Analytics;2611;
        E2;Data Scientist;Analytics;2611;builders
        E3;Schadensachbearbeiter;Schaden;;
        E4;Office Cleaner;Facilities;9112;
        E5;Wellbeing Champion;People;;
        E6;Wellbeing Champion;People;;
        E7;Wellbeing Champion;People;;
        E8;Manager;Sales;;
        E9;Jurist;Recht;2120;
        """;

    [Fact]
    public async Task ExportWithOccupationCodes_PlacesByCode_TheTrackColumnWins_AndTriageIsGroupedByTitle()
    {
        string cohortId = await Plans.CreateAsync(Server, "codes");

        JsonNode import = await Imports.ImportAsync(Server, cohortId, Encoding.UTF8.GetBytes(Export));

        Assert.Equal("applied", import["state"]!.GetValue<string>());
        Dictionary<string, JsonNode> roster = await Imports.RosterAsync(Server, cohortId);
        // (track, what placed them), as a person reads each row
        var expected = new Dictionary<string, (string Track, string Rule)>
        {
            ["E1"] = ("governors", "occupation-code:ISCO-08:2611"), // the code (Lawyers) outranks the title: a wrong code wins over words
            ["E2"] = ("builders", "explicit-track"),                // the track column outranks the same wrong code
            ["E3"] = ("consumers", "title-operational"),            // claims clerk, by the compound's part "sachbearbeiter"
            ["E4"] = ("triage", "occupation-code:ISCO-08:91"),      // Cleaners and helpers
            ["E5"] = ("triage", "triage"),
            ["E6"] = ("triage", "triage"),
            ["E7"] = ("triage", "triage"),
            ["E8"] = ("triage", "title-bare-manager"),              // a manager of what? an admin decides
            ["E9"] = ("builders", "occupation-code:ISCO-08:2120"),  // the code says statistician; the title says lawyer
        };
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), roster.Keys.Order(StringComparer.Ordinal));
        foreach ((string id, (string track, string rule)) in expected)
        {
            JsonNode person = roster[id];
            string actual = person["inTriage"]!.GetValue<bool>() ? "triage" : person["track"]!.GetValue<string>();
            Assert.True((track, rule) == (actual, person["trackRule"]!.GetValue<string>()), $"{id}: expected {track} by {rule}, got {actual} by {person["trackRule"]}: {person["trackReason"]}");
        }

        Assert.Contains("occupation code 2611", roster["E1"]["trackReason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("2611", roster["E1"]["occupationCode"]!.GetValue<string>());
        Assert.Contains("'schadensachbearbeiter' in the job title", roster["E3"]["trackReason"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Equal(5, Imports.Count(import, "triage"));
        Assert.Equal(
            [("Wellbeing Champion", 3, "triage"), ("Manager", 1, "title-bare-manager"), ("Office Cleaner", 1, "occupation-code:ISCO-08:91")],
            import["triageByTitle"]!.AsArray().Select(t => (t!["title"]!.GetValue<string>(), t["count"]!.GetValue<int>(), t["rule"]!.GetValue<string>())));
    }

    [Fact]
    public async Task RuleAddedToThePlan_AfterReadingTheTriage_PlacesThemAtTheNextImport()
    {
        string cohortId = await Plans.CreateAsync(Server, "teach");
        byte[] csv = Encoding.UTF8.GetBytes(Export);
        await Imports.ImportAsync(Server, cohortId, csv);

        (HttpStatusCode bad, JsonNode badBody) = await PatchAsync(cohortId, """
            {"segmentation":[
              {"id":"look","attribute":"jobTitle","pattern":"(?<=x)y","track":"consumers"},
              {"id":"title-executive","attribute":"office","pattern":"x","track":"wizards"}
            ]}
            """);
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Equal(
            ["segmentation[0].pattern", "segmentation[1].attribute", "segmentation[1].id", "segmentation[1].track"],
            badBody["errors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>()).Order(StringComparer.Ordinal));

        (HttpStatusCode status, JsonNode patched) = await PatchAsync(cohortId, """
            {"segmentation":[{"id":"wellbeing-champions","attribute":"jobTitle","pattern":"wellbeing champion","track":"consumers","reason":"champions run their team's AI practice sessions"}]}
            """);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("wellbeing-champions", patched["segmentation"]![0]!["id"]!.GetValue<string>());

        JsonNode second = await Imports.ImportAsync(Server, cohortId, csv);

        Assert.Equal(["E5", "E6", "E7"], Imports.Ids(second, "movers").Order(StringComparer.Ordinal));
        Assert.Equal((3, 6, 0), (Imports.Count(second, "movers"), Imports.Count(second, "unchanged"), Imports.Count(second, "triage")));
        Assert.Equal(2, (await Server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}"))["roster"]!["triage"]!.GetValue<int>()); // E4 and E8
        JsonNode e5 = await Server.GetJsonAsync("hr", $"/api/cohorts/{cohortId}/participants/E5");
        Assert.Equal(("consumers", "wellbeing-champions"), (e5["track"]!.GetValue<string>(), e5["trackRule"]!.GetValue<string>()));
        Assert.Contains("champions run their team's AI practice sessions ('Wellbeing Champion' in the job title)", e5["trackReason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> PatchAsync(string cohortId, string patch)
    {
        (string etag, _) = await Plans.GetWithETagAsync(Server, cohortId);
        (HttpStatusCode status, JsonNode body, _) = await Plans.PatchAsync(Server, cohortId, JsonNode.Parse(patch)!.AsObject(), etag);
        return (status, body);
    }
}
