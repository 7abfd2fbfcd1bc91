using System.Globalization;
using System.Text;
using Cohorts.Domain.Enrolment;
using Xunit.Abstractions;

namespace Cohorts.Domain.Tests;

/// <summary>
/// The default rules against people: Fixtures/titles-seven-languages.csv holds job titles in English, German, French,
/// Spanish, Dutch, Italian and Portuguese with their department, each placed by a person reading them (written by hand,
/// not produced by the rules). Agreement is reported per language, with every title the rules place elsewhere; the
/// report is also written to segmentation-agreement.txt in the tests' folder, which <c>.ci/run</c> prints.
/// </summary>
public class SegmentationAgreementTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, double> Targets = new(StringComparer.Ordinal)
    {
        ["en"] = 0.97, ["de"] = 0.95, ["fr"] = 0.95, ["es"] = 0.95, ["nl"] = 0.95, ["it"] = 0.95, ["pt"] = 0.95,
    };

    private sealed record Reading(int Line, string Language, string Title, string Department, Track? Track);

    private static List<Reading> Readings(string name = "titles-seven-languages.csv")
    {
        string file = Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
        Assert.True(File.Exists(file), $"the test data is missing: {file}");
        var readings = new List<Reading>();
        string[] lines = File.ReadAllLines(file, Encoding.UTF8);
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            string[] fields = line.Split(';');
            Assert.True(fields.Length == 4, $"line {i + 1} has {fields.Length} fields, not 4: {line}");
            Track? track = fields[3] == "triage" ? null
                : TrackNames.TryParse(fields[3], out Track named) ? named
                : throw new InvalidDataException($"line {i + 1}: '{fields[3]}' is not a track");
            readings.Add(new Reading(i + 1, fields[0], fields[1], fields[2], track));
        }

        return readings;
    }

    [Fact]
    public void TestData_HoldsAtLeast400DistinctTitles_InSevenLanguages()
    {
        List<Reading> readings = Readings();

        Assert.True(readings.Select(r => r.Title).Distinct(StringComparer.Ordinal).Count() >= 400);
        Assert.Equal(Targets.Keys.Order(StringComparer.Ordinal), readings.Select(r => r.Language).Distinct().Order(StringComparer.Ordinal));
        Assert.All(Targets.Keys, language => Assert.True(readings.Count(r => r.Language == language) >= 50, $"{language} has fewer than 50 titles"));
    }

    [Theory]
    [InlineData("titles-seven-languages.csv")]
    [InlineData("titles-held-out.csv")]
    public void DefaultRules_AgreeWithAPersonsReading_InEachLanguage(string file)
    {
        var segmenter = new Segmenter(DefaultSegmentationRules.All);
        var report = new StringBuilder();
        var missed = new List<string>();
        foreach (IGrouping<string, Reading> language in Readings(file).GroupBy(r => r.Language))
        {
            var misplaced = new List<string>();
            foreach (Reading reading in language)
            {
                TrackAssignment assignment = segmenter.Assign(new HrRecord($"line-{reading.Line}", JobTitle: reading.Title, Department: reading.Department));
                Assert.False(string.IsNullOrWhiteSpace(assignment.Reason));
                if (assignment.Track != reading.Track)
                {
                    misplaced.Add($"  {language.Key} line {reading.Line}: '{reading.Title}' ({reading.Department}) read as {Name(reading.Track)}, placed {Name(assignment.Track)} by {assignment.Rule}: {assignment.Reason}");
                }
            }

            int total = language.Count();
            double agreement = (double)(total - misplaced.Count) / total;
            report.AppendLine(CultureInfo.InvariantCulture, $"segmentation agreement {language.Key} ({file}): {agreement:P1} ({total - misplaced.Count} of {total}; target {Targets[language.Key]:P0})");
            misplaced.ForEach(m => report.AppendLine(m));
            if (agreement < Targets[language.Key])
            {
                missed.Add($"{language.Key} {agreement:P1} < {Targets[language.Key]:P0}");
            }
        }

        string text = report.ToString();
        output.WriteLine(text);
        string folder = Environment.GetEnvironmentVariable("COHORTS_TEST_TEMP") is { Length: > 0 } root ? root : Path.Combine(Path.GetTempPath(), "cohorts-tests");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, $"segmentation-agreement-{Path.GetFileNameWithoutExtension(file)}.txt"), text);
        Assert.True(missed.Count == 0, $"below target: {string.Join(", ", missed)}{Environment.NewLine}{text}");
    }

    private static string Name(Track? track) => track is { } t ? TrackNames.Name(t) : "triage";
}
