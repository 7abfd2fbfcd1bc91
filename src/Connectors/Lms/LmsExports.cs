using System.Globalization;
using System.IO.Compression;
using System.Text;
using Cohorts.Connectors.Csv;
using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Learning;
using CsvHelper.Configuration;

namespace Cohorts.Connectors.Lms;

/// <summary>The LMS import formats a cohort exports to.</summary>
public enum LmsFormat
{
    /// <summary>Canvas SIS import: accounts, terms, courses (one per track), users, enrollments.</summary>
    Canvas,

    /// <summary>Moodle: upload users (with their course enrolment) and the flat-file enrolment plugin's file.</summary>
    Moodle,

    /// <summary>OneRoster 1.1 CSV bulk: manifest, orgs, academicSessions, courses, classes (one per track), users, enrollments, categories, lineItems (the path's steps).</summary>
    OneRoster,
}

/// <summary>
/// A cohort's roster and assignments in the CSV formats LMSs import. One course (or class) per track in use; each
/// active participant on a track is enrolled as a student, a suspended one is written inactive (Canvas), deleted (Moodle
/// flat file) or tobedeleted (OneRoster), never left out, so the LMS learns that they left. Every cell is safe from
/// formula injection: a value that a spreadsheet would run (starting = + - @, tab or carriage return) gets a leading
/// apostrophe.
/// </summary>
public static class LmsExports
{
    private static readonly CsvConfiguration Plain = SafeCsv.Plain;
    private static readonly string[][] ManifestVersions = [["manifest.version", "1.0"], ["oneroster.version", "1.1"]];
    private static readonly CsvConfiguration QuoteAll = new(CultureInfo.InvariantCulture) { NewLine = "\r\n", ShouldQuote = _ => true };

    /// <summary>The files of <paramref name="format"/> for <paramref name="plan"/> and its people on tracks.</summary>
    public static IReadOnlyList<(string Name, string Content)> Files(LmsFormat format, CohortPlan plan, IReadOnlyList<Participant> people, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(people);
        List<Participant> placed = people.Where(p => p.Track is not null).OrderBy(p => p.EmployeeId, StringComparer.Ordinal).ToList();
        List<Track> tracks = plan.Tracks.Where(t => placed.Any(p => p.Track == t)).ToList();
        return format switch
        {
            LmsFormat.Canvas => Canvas(plan, placed, tracks),
            LmsFormat.Moodle => Moodle(plan, placed),
            LmsFormat.OneRoster => OneRoster(plan, placed, tracks, asOf),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not an LMS format"),
        };
    }

    /// <summary>Writes the files as a zip archive.</summary>
    public static async Task WriteZipAsync(Stream target, IReadOnlyList<(string Name, string Content)> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        await using var zip = new ZipArchive(target, ZipArchiveMode.Create, leaveOpen: true);
        foreach ((string name, string content) in files)
        {
            await using Stream entry = await zip.CreateEntry(name, CompressionLevel.Fastest).OpenAsync(cancellationToken);
            await entry.WriteAsync(Encoding.UTF8.GetBytes(content), cancellationToken);
        }
    }

    /// <summary>The course (class) id of a track in a cohort.</summary>
    public static string CourseId(string cohortId, Track track) => $"{cohortId}-{TrackNames.Name(track)}";

    private static List<(string, string)> Canvas(CohortPlan plan, List<Participant> people, List<Track> tracks)
    {
        string account = $"cohorts-{plan.Id}";
        return
        [
            ("accounts.csv", SafeCsv.Write(Plain, ["account_id", "parent_account_id", "name", "status"], [[account, "", plan.Name, "active"]])),
            ("terms.csv", SafeCsv.Write(Plain, ["term_id", "name", "status", "start_date", "end_date"], [[plan.Id, plan.Name, "active", Time(plan.StartsAt), Time(End(plan))]])),
            ("courses.csv", SafeCsv.Write(Plain, ["course_id", "short_name", "long_name", "account_id", "term_id", "status"],
                tracks.Select(t => new[] { CourseId(plan.Id, t), $"{plan.Id} {TrackNames.Name(t)}", $"{plan.UseCase.Title}: {t} path", account, plan.Id, "active" }))),
            ("users.csv", SafeCsv.Write(Plain, ["user_id", "login_id", "first_name", "last_name", "short_name", "email", "status"],
                people.Select(p => new[] { p.EmployeeId, p.Hr.Upn ?? p.Hr.Email ?? p.EmployeeId, First(p), Last(p), p.Hr.DisplayName ?? "", p.Hr.Email ?? "", p.Status == ParticipantStatus.Active ? "active" : "suspended" }))),
            ("enrollments.csv", SafeCsv.Write(Plain, ["course_id", "user_id", "role", "section_id", "status"],
                people.Select(p => new[] { CourseId(plan.Id, p.Track!.Value), p.EmployeeId, "student", "", p.Status == ParticipantStatus.Active ? "active" : "inactive" }))),
        ];
    }

    private static List<(string, string)> Moodle(CohortPlan plan, List<Participant> people) =>
    [
        ("upload_users.csv", SafeCsv.Write(Plain, ["username", "firstname", "lastname", "email", "idnumber", "course1", "role1"],
            people.Select(p => new[] { Username(p), First(p), Last(p), p.Hr.Email ?? "", p.EmployeeId, CourseId(plan.Id, p.Track!.Value), "student" }))),
        // the flat-file plugin reads "operation, role, user idnumber, course idnumber" without a header
        ("flatfile_enrol.csv", SafeCsv.Write(Plain, null,
            people.Select(p => new[] { p.Status == ParticipantStatus.Active ? "add" : "del", "student", p.EmployeeId, CourseId(plan.Id, p.Track!.Value) }))),
    ];

    private static List<(string, string)> OneRoster(CohortPlan plan, List<Participant> people, List<Track> tracks, DateTimeOffset asOf)
    {
        string org = $"org-{plan.Id}";
        string session = $"term-{plan.Id}";
        string course = $"course-{plan.Id}";
        string modified = Time(asOf);
        string[] present = ["manifest", "orgs", "academicSessions", "courses", "classes", "users", "enrollments", "categories", "lineItems"];
        string[] absent = ["classResources", "courseResources", "demographics", "resources", "results"];
        var lineItems = tracks.SelectMany(t => LearningPaths.For(plan, t).Select(step => new[]
        {
            // the description ends with the step's xAPI activity id, for platforms that report statements about it
            $"{plan.Id}-{step.StepId}", "active", modified, step.Title, $"{step.Instructions} (xAPI activity id: {Xapi.ActivityId(plan.Id, step.StepId)})", Time(plan.StartsAt), Time(LearningPaths.DueAt(plan, step)),
            CourseId(plan.Id, t), $"{plan.Id}-{Naming(step.Kind)}", "0", "100",
        }));
        return
        [
            ("manifest.csv", SafeCsv.Write(QuoteAll, ["propertyName", "value"],
                ManifestVersions
                    .Concat(present.Skip(1).Select(f => new[] { $"file.{f}", "bulk" }))
                    .Concat(absent.Select(f => new[] { $"file.{f}", "absent" })))),
            ("orgs.csv", SafeCsv.Write(QuoteAll, ["sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId"],
                [[org, "active", modified, plan.Name, "school", plan.Id, ""]])),
            ("academicSessions.csv", SafeCsv.Write(QuoteAll, ["sourcedId", "status", "dateLastModified", "title", "type", "startDate", "endDate", "parentSourcedId", "schoolYear"],
                [[session, "active", modified, plan.Name, "term", Date(plan.StartsAt), Date(End(plan)), "", End(plan).Year.ToString(CultureInfo.InvariantCulture)]])),
            ("courses.csv", SafeCsv.Write(QuoteAll, ["sourcedId", "status", "dateLastModified", "schoolYearSourcedId", "title", "courseCode", "grades", "orgSourcedId", "subjects", "subjectCodes"],
                [[course, "active", modified, session, plan.UseCase.Title, plan.Id, "", org, "", ""]])),
            ("classes.csv", SafeCsv.Write(QuoteAll, ["sourcedId", "status", "dateLastModified", "title", "grades", "courseSourcedId", "classCode", "classType", "location", "schoolSourcedId", "termSourcedIds", "subjects", "subjectCodes", "periods"],
                tracks.Select(t => new[] { CourseId(plan.Id, t), "active", modified, $"{plan.UseCase.Title}: {t} path", "", course, TrackNames.Name(t), "scheduled", "", org, session, "", "", "" }))),
            ("users.csv", SafeCsv.Write(QuoteAll, ["sourcedId", "status", "dateLastModified", "enabledUser", "orgSourcedIds", "role", "username", "userIds", "givenName", "familyName", "middleName", "identifier", "email", "sms", "phone", "agentSourcedIds", "grades", "password"],
                people.Select(p => new[] { p.EmployeeId, Status(p), modified, p.Status == ParticipantStatus.Active ? "true" : "false", org, "student", p.Hr.Upn ?? p.Hr.Email ?? p.EmployeeId, "", First(p), Last(p), "", p.EmployeeId, p.Hr.Email ?? "", "", "", "", "", "" }))),
            ("enrollments.csv", SafeCsv.Write(QuoteAll, ["sourcedId", "status", "dateLastModified", "classSourcedId", "schoolSourcedId", "userSourcedId", "role", "primary", "beginDate", "endDate"],
                people.Select(p => new[] { $"{CourseId(plan.Id, p.Track!.Value)}-{p.EmployeeId}", Status(p), modified, CourseId(plan.Id, p.Track!.Value), org, p.EmployeeId, "student", "false", Date(plan.StartsAt), Date(End(plan)) }))),
            ("categories.csv", SafeCsv.Write(QuoteAll, ["sourcedId", "status", "dateLastModified", "title"],
                Enum.GetValues<StepKind>().Select(k => new[] { $"{plan.Id}-{Naming(k)}", "active", modified, Naming(k) }))),
            ("lineItems.csv", SafeCsv.Write(QuoteAll, ["sourcedId", "status", "dateLastModified", "title", "description", "assignDate", "dueDate", "classSourcedId", "categorySourcedId", "resultValueMin", "resultValueMax"], lineItems)),
        ];
    }

    private static DateTimeOffset End(CohortPlan plan) => plan.StartsAt + (plan.Checkpoints.Count > 0 ? plan.Checkpoints[^1] : LearningPaths.DefaultLength);

    private static string Status(Participant p) => p.Status == ParticipantStatus.Active ? "active" : "tobedeleted";

    private static string Naming(StepKind kind) => char.ToLowerInvariant(kind.ToString()[0]) + kind.ToString()[1..];

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string First(Participant p) => Split(p).First;

    private static string Last(Participant p) => Split(p).Last;

    /// <summary>Given and family name from the display name: the last word is the family name (HR sources here carry one display name).</summary>
    private static (string First, string Last) Split(Participant p)
    {
        string name = (p.Hr.DisplayName ?? string.Empty).Trim();
        int space = name.LastIndexOf(' ');
        return space < 0 ? (name, string.Empty) : (name[..space], name[(space + 1)..]);
    }

    /// <summary>A Moodle username: lowercase, from the employee id (stable; an email can change).</summary>
    private static string Username(Participant p) =>
        string.Concat(p.EmployeeId.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@' ? c : '_'));
}
