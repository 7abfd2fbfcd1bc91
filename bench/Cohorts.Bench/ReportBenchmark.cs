using System.Diagnostics;
using System.Globalization;
using Cohorts.Connectors.Reports;
using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Outcomes;
using Cohorts.Domain.Reviews;

namespace Cohorts.Bench;

/// <summary>
/// The final report of a large cohort (50,000 participants, 200,000 outcome events, a submission each) against a bare
/// aggregation of the same data in the same process: the product computes every figure per cohort and per track
/// (medians, shares, completion from each participant's path) and renders the charts, HTML, CSV and JSON; the baseline
/// makes one pass that counts events by type and track, sums hours and finds each contributor's first contribution.
/// Runs alternate (product, baseline, baseline, product, …) after a warm-up of both; each round's product ÷ its
/// baseline, and the median of those ratios is the figure (the ratio of the two medians is printed beside it).
/// </summary>
public static class ReportBenchmark
{
    private const int WarmUpRounds = 8;

    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    public static int Run(int participants, int events, int rounds = 31)
    {
        (CohortPlan plan, List<Participant> people, List<Submission> work, List<OutcomeEvent> outcomes) = Generate(participants, events);
        CheckpointDue final = plan.Schedule()[^1];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"report of {people.Count:N0} participants, {outcomes.Count:N0} events, {work.Count:N0} submissions"));

        // warm-up: both sides until the runtime's tiered compilation has settled (a report is a few hundred methods, each
        // called once a round; the first rounds of either side ran 30-60% slower than the rest)
        long checksum = 0;
        for (int round = 0; round < WarmUpRounds; round++)
        {
            checksum += Product(plan, final, people, work, outcomes) + Baseline(plan, final, people, work, outcomes);
        }

        var product = new List<double>();
        var baseline = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            foreach (bool productFirst in new[] { round % 2 == 0, round % 2 != 0 })
            {
                var watch = Stopwatch.StartNew();
                checksum += productFirst ? Product(plan, final, people, work, outcomes) : Baseline(plan, final, people, work, outcomes);
                (productFirst ? product : baseline).Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        double p = Median(product), b = Median(baseline);
        // each round's two runs, back to back, meet the machine in the same state; this machine's speed swings by half
        // within a minute (a baseline's median 20 ms in one run, 32 ms in the next), which moves a ratio of medians taken
        // over the whole run, and moves the ratio of a round's pair far less
        double paired = Median(product.Zip(baseline, (x, y) => x / y).ToList());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"product (figures + charts + HTML/CSV/JSON): median {p:0} ms of {string.Join(", ", product.Select(x => x.ToString("0", CultureInfo.InvariantCulture)))}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"baseline (bare aggregation): median {b:0} ms of {string.Join(", ", baseline.Select(x => x.ToString("0", CultureInfo.InvariantCulture)))}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"checksum of both sides' results: {checksum}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio of the medians: {p / b:0.00}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"report ratio: {paired:0.00} (target ≤ 2.0; product ÷ bare aggregation, the median of each round's pair)"));
        return 0;
    }

    private static long Product(CohortPlan plan, CheckpointDue final, List<Participant> people, List<Submission> work, List<OutcomeEvent> outcomes)
    {
        OutcomeReport report = OutcomeMetrics.Compute(plan, final, people, work, outcomes);
        RenderedReport rendered = ReportRenderer.Render(report, [report with { Checkpoint = 1 }, report with { Checkpoint = 2 }]);
        return rendered.Html.Length + rendered.Csv.Length + rendered.Json.Length + rendered.Charts.Sum(c => c.Png.Length);
    }

    private static long Baseline(CohortPlan plan, CheckpointDue final, List<Participant> people, List<Submission> work, List<OutcomeEvent> outcomes)
    {
        var trackOf = new Dictionary<string, int>(people.Count, StringComparer.Ordinal);
        foreach (Participant person in people)
        {
            trackOf[person.EmployeeId] = person.Track is { } t ? (int)t : 6;
        }

        long[,] counts = new long[7, 3];
        double hours = 0;
        int firstSubmissions = 0, firstPasses = 0;
        var firstProduction = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (OutcomeEvent e in outcomes)
        {
            if (e.OccurredAt < plan.StartsAt || e.OccurredAt > final.DueAt)
            {
                continue;
            }

            counts[trackOf.GetValueOrDefault(e.ParticipantId, 6), (int)e.Type]++;
            switch (e.Type)
            {
                case OutcomeType.AdvisorySupport:
                    hours += e.Hours ?? 0;
                    break;
                case OutcomeType.ModelRiskReview when e.FirstSubmission == true:
                    firstSubmissions++;
                    firstPasses += e.PassedReview ? 1 : 0;
                    break;
                case OutcomeType.ProductionContribution when !firstProduction.TryGetValue(e.ParticipantId, out DateTimeOffset seen) || e.OccurredAt < seen:
                    firstProduction[e.ParticipantId] = e.OccurredAt;
                    break;
            }
        }

        int accepted = 0, withinWindow = 0;
        foreach (Submission s in work)
        {
            accepted += s.Decision is { Verdict: Verdict.Accepted } ? 1 : 0;
            withinWindow += s.Decision is { } d && d.DecidedAt <= s.DueAt ? 1 : 0;
        }

        return counts.Cast<long>().Sum() + (long)hours + firstSubmissions + firstPasses + firstProduction.Count + accepted + withinWindow;
    }

    private static (CohortPlan, List<Participant>, List<Submission>, List<OutcomeEvent>) Generate(int participants, int events)
    {
        var random = new Random(20261125);
        Track[] tracks = Enum.GetValues<Track>();
        var plan = new CohortPlan("bench", "Benchmark cohort", new UseCase("Claims triage", "Route claims", null, null, []), Start, CohortPlan.DefaultCheckpoints,
            ReviewPolicy.Default, ["cio@example.com"], "lead@example.com", [], new Baseline(20, TimeSpan.FromDays(120), 0.4), tracks);
        var people = new List<Participant>(participants);
        for (int i = 0; i < participants; i++)
        {
            Track? track = i % 50 == 0 ? null : tracks[random.Next(tracks.Length)];
            ParticipantStatus status = i % 40 == 0 ? ParticipantStatus.Suspended : ParticipantStatus.Active;
            people.Add(new Participant("bench", $"E{i:D6}", new HrRecord($"E{i:D6}"), track, "r", "r", false, status, Start, Start, []));
        }

        var work = new List<Submission>(participants);
        foreach (Participant person in people.Where(p => p.Track is not null))
        {
            string step = $"{TrackNames.Name(person.Track!.Value)}-{(person.Track == Track.Leaders ? 3 : 4)}";
            DateTimeOffset at = Start.AddDays(random.Next(1, 85));
            var submission = new Submission(Submission.IdFor("bench", person.EmployeeId, step, 1), "bench", person.EmployeeId, step, person.Track.Value,
                new Uri("https://example.com/w"), 1, at, "rev", at.AddHours(24), at.AddHours(48), SubmissionStatus.AwaitingReview);
            work.Add(random.Next(10) == 0 ? submission
                : submission.WithDecision(new ReviewDecision(random.Next(3) == 0 ? Verdict.Rework : Verdict.Accepted, "notes", null, "rev", at.AddHours(random.Next(1, 72)))));
        }

        var outcomes = new List<OutcomeEvent>(events);
        for (int i = 0; i < events; i++)
        {
            string who = people[random.Next(people.Count)].EmployeeId;
            DateTimeOffset at = Start.AddMinutes(random.Next(0, 90 * 24 * 60));
            outcomes.Add((i % 10) switch
            {
                < 3 => new OutcomeEvent($"e{i}", "bench", OutcomeType.ProductionContribution, who, at, at, new Uri("https://models.example.com/" + i)),
                < 6 => new OutcomeEvent($"e{i}", "bench", OutcomeType.ModelRiskReview, who, at, at, FirstSubmission: random.Next(2) == 0, Passed: random.Next(3) != 0, Findings: random.Next(4)),
                _ => new OutcomeEvent($"e{i}", "bench", OutcomeType.AdvisorySupport, who, at, at, Hours: random.Next(1, 16) / 2.0),
            });
        }

        return (plan, people, work, outcomes);
    }

    internal static double Median(List<double> values)
    {
        List<double> sorted = [.. values.Order()];
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
