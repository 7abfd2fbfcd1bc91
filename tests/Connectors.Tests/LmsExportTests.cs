using System.Globalization;
using System.IO.Compression;
using Cohorts.Connectors.Lms;
using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Cohorts.TestSupport;
using CsvHelper;
using CsvHelper.Configuration;

namespace Cohorts.Connectors.Tests;

/// <summary>
/// The Canvas, Moodle and OneRoster exports of a small cohort, read back with a CSV reader and compared with a table
/// written by hand from the roster below, and with the headers of the corpus files of each format.
/// </summary>
public class LmsExportTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset AsOf = new(2026, 12, 2, 10, 30, 0, TimeSpan.Zero);

    private static readonly CohortPlan Plan = new(
        "claims-q1", "Claims triage, Q1", new UseCase("Claims triage model", "Route claims", null, null, []), Start,
        [TimeSpan.FromDays(30), TimeSpan.FromDays(60), TimeSpan.FromDays(90)], ReviewPolicy.Default,
        ["cio@example.com"], "lead@example.com", [], null, Enum.GetValues<Track>());

    // the roster: two builders (one suspended), a governor whose name is a formula, a translator with a comma and
    // quotes in their name, and a person in triage (not exported: no course to put them in)
    private static readonly Participant[] People =
    [
        Person("E1", "Ana Lima", "ana.lima@example.com", Track.Builders, ParticipantStatus.Active),
        Person("E2", "=HYPERLINK(\"http://evil.example\")", "e2@example.com", Track.Governors, ParticipantStatus.Active),
        Person("E3", "Ben \"Benny\" Okafor, Jr", null, Track.Translators, ParticipantStatus.Active),
        Person("E4", "Chen Wei", "chen.wei@example.com", Track.Builders, ParticipantStatus.Suspended),
        Person("E5", "Dara Nolan", "dara@example.com", null, ParticipantStatus.Active),
    ];

    private static Participant Person(string id, string name, string? email, Track? track, ParticipantStatus status) =>
        new("claims-q1", id, new HrRecord(id, Email: email, DisplayName: name), track, "rule", "reason", false, status, Start, Start, []);

    private static Dictionary<string, List<string[]>> Export(LmsFormat format) =>
        LmsExports.Files(format, Plan, People, AsOf).ToDictionary(f => f.Name, f => Read(f.Content));

    private static List<string[]> Read(string csv)
    {
        using var reader = new CsvReader(new StringReader(csv), new CsvConfiguration(CultureInfo.InvariantCulture) { HasHeaderRecord = false });
        var rows = new List<string[]>();
        while (reader.Read())
        {
            rows.Add(reader.Parser.Record!);
        }

        return rows;
    }

    private static string[] CorpusHeader(params string[] path) =>
        Read(File.ReadAllText(Path.Combine([RepoPaths.Corpus, "lms", .. path])))[0];

    [Fact]
    public void Canvas_UsersCoursesAndEnrollments_RoundTrip()
    {
        Dictionary<string, List<string[]>> files = Export(LmsFormat.Canvas);

        Assert.Equal(
            [
                ["user_id", "login_id", "first_name", "last_name", "short_name", "email", "status"],
                ["E1", "ana.lima@example.com", "Ana", "Lima", "Ana Lima", "ana.lima@example.com", "active"],
                ["E2", "e2@example.com", "'=HYPERLINK(\"http://evil.example\")", "", "'=HYPERLINK(\"http://evil.example\")", "e2@example.com", "active"],
                ["E3", "E3", "Ben \"Benny\" Okafor,", "Jr", "Ben \"Benny\" Okafor, Jr", "", "active"],
                ["E4", "chen.wei@example.com", "Chen", "Wei", "Chen Wei", "chen.wei@example.com", "suspended"],
            ],
            files["users.csv"]);
        Assert.Equal(
            [
                ["course_id", "user_id", "role", "section_id", "status"],
                ["claims-q1-builders", "E1", "student", "", "active"],
                ["claims-q1-governors", "E2", "student", "", "active"],
                ["claims-q1-translators", "E3", "student", "", "active"],
                ["claims-q1-builders", "E4", "student", "", "inactive"],
            ],
            files["enrollments.csv"]);
        Assert.Equal(["claims-q1-builders", "claims-q1-translators", "claims-q1-governors"], files["courses.csv"].Skip(1).Select(r => r[0]));
        // Canvas's own samples: every column written is one Canvas documents, and its required ones are there
        Assert.Subset(CorpusHeader("canvas-sis", "docs_users.csv").ToHashSet(), files["users.csv"][0].ToHashSet());
        Assert.Superset(new HashSet<string> { "user_id", "login_id", "status" }, files["users.csv"][0].ToHashSet());
        Assert.Equal(CorpusHeader("canvas-sis", "docs_enrollments.csv"), files["enrollments.csv"][0]);
        Assert.Equal(CorpusHeader("canvas-sis", "docs_courses.csv"), files["courses.csv"][0]);
        Assert.Equal(CorpusHeader("canvas-sis", "docs_accounts.csv"), files["accounts.csv"][0]);
        Assert.Equal(CorpusHeader("canvas-sis", "docs_terms.csv"), files["terms.csv"][0]);
    }

    [Fact]
    public void Moodle_UploadUsersAndFlatFile_RoundTrip()
    {
        Dictionary<string, List<string[]>> files = Export(LmsFormat.Moodle);

        Assert.Equal(
            [
                ["username", "firstname", "lastname", "email", "idnumber", "course1", "role1"],
                ["e1", "Ana", "Lima", "ana.lima@example.com", "E1", "claims-q1-builders", "student"],
                ["e2", "'=HYPERLINK(\"http://evil.example\")", "", "e2@example.com", "E2", "claims-q1-governors", "student"],
                ["e3", "Ben \"Benny\" Okafor,", "Jr", "", "E3", "claims-q1-translators", "student"],
                ["e4", "Chen", "Wei", "chen.wei@example.com", "E4", "claims-q1-builders", "student"],
            ],
            files["upload_users.csv"]);
        // headerless, like the plugin's own example: operation, role, user idnumber, course idnumber
        Assert.Equal(
            [
                ["add", "student", "E1", "claims-q1-builders"],
                ["add", "student", "E2", "claims-q1-governors"],
                ["add", "student", "E3", "claims-q1-translators"],
                ["del", "student", "E4", "claims-q1-builders"],
            ],
            files["flatfile_enrol.csv"]);
        Assert.Equal(4, CorpusHeader("moodle", "flatfile_enrol_example.csv").Length);
        // Moodle's example columns, and course1 from its enrolment fixture (idnumber and role1 are documented upload fields)
        Assert.Superset(CorpusHeader("moodle", "uploaduser_example.csv").Append("course1").ToHashSet(), files["upload_users.csv"][0].ToHashSet());
    }

    [Fact]
    public void OneRoster_BulkSet_RoundTrips_WithTheCorpusHeaders_AndEveryFieldQuoted()
    {
        IReadOnlyList<(string Name, string Content)> raw = LmsExports.Files(LmsFormat.OneRoster, Plan, People, AsOf);
        Dictionary<string, List<string[]>> files = raw.ToDictionary(f => f.Name, f => Read(f.Content));

        foreach (string name in new[] { "manifest.csv", "orgs.csv", "academicSessions.csv", "courses.csv", "classes.csv", "enrollments.csv" })
        {
            Assert.Equal(CorpusHeader("oneroster-1.1", "lepo-roster-hub-en", name), files[name][0]);
        }

        // the corpus users.csv adds two metadata.* extension columns after the standard ones
        Assert.Equal(CorpusHeader("oneroster-1.1", "lepo-roster-hub-en", "users.csv").Where(h => !h.StartsWith("metadata.", StringComparison.Ordinal)), files["users.csv"][0]);
        Assert.StartsWith("\"sourcedId\",\"status\"", raw.Single(f => f.Name == "users.csv").Content, StringComparison.Ordinal);
        Assert.Equal(
            [
                ["E1", "active", "2026-12-02T10:30:00Z", "true", "org-claims-q1", "student", "ana.lima@example.com", "", "Ana", "Lima", "", "E1", "ana.lima@example.com", "", "", "", "", ""],
                ["E4", "tobedeleted", "2026-12-02T10:30:00Z", "false", "org-claims-q1", "student", "chen.wei@example.com", "", "Chen", "Wei", "", "E4", "chen.wei@example.com", "", "", "", "", ""],
            ],
            files["users.csv"].Where(r => r[0] is "E1" or "E4"));
        Assert.Equal(
            ["claims-q1-builders-E1", "active", "2026-12-02T10:30:00Z", "claims-q1-builders", "org-claims-q1", "E1", "student", "false", "2026-12-01", "2027-03-01"],
            files["enrollments.csv"][1]);
        // assignments: the Builders path's five steps are line items of the Builders class, due on the path's days
        List<string[]> builders = files["lineItems.csv"].Where(r => r[7] == "claims-q1-builders").ToList();
        Assert.Equal(["claims-q1-builders-1", "claims-q1-builders-2", "claims-q1-builders-3", "claims-q1-builders-4", "claims-q1-builders-5"], builders.Select(r => r[0]));
        Assert.Equal(["2026-12-08T09:00:00Z", "2026-12-22T09:00:00Z", "2027-01-10T09:00:00Z", "2027-01-30T09:00:00Z", "2027-02-24T09:00:00Z"], builders.Select(r => r[6]));
        Assert.Equal("claims-q1-capabilityDemonstration", builders[3][8]);
        Assert.Contains(["file.lineItems", "bulk"], files["manifest.csv"]);
    }

    [Fact]
    public async Task Zip_HoldsEveryFile()
    {
        IReadOnlyList<(string Name, string Content)> files = LmsExports.Files(LmsFormat.Canvas, Plan, People, AsOf);
        using var buffer = new MemoryStream();

        await LmsExports.WriteZipAsync(buffer, files, CancellationToken.None);

        buffer.Position = 0;
        using var zip = new ZipArchive(buffer);
        Assert.Equal(["accounts.csv", "courses.csv", "enrollments.csv", "terms.csv", "users.csv"], zip.Entries.Select(e => e.Name).Order(StringComparer.Ordinal));
    }
}
