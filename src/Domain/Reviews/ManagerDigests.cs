using System.Globalization;
using System.Net;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Learning;

namespace Cohorts.Domain.Reviews;

/// <summary>One capability demonstration in a manager's digest: who, which step, which attempt, and the verdict so far.</summary>
public sealed record DigestLine(string ParticipantId, string? ParticipantName, string StepId, string StepTitle, int Attempt, SubmissionStatus Status, DateTimeOffset SubmittedAt, DateTimeOffset? DecidedAt, string? Feedback);

/// <summary>What one manager's digest holds.</summary>
public sealed record ManagerDigest(string ManagerId, string ManagerEmail, IReadOnlyList<DigestLine> Lines);

/// <summary>
/// The periodic message to each manager listing their people's capability demonstrations and verdicts in the period
/// (reviewed work, never completions). A manager is found by the manager id of their people; their address is theirs
/// on the roster, so a manager who is not on it (or has no plain address) gets no digest. One message per manager,
/// cohort and period: its id names the period, so a run repeated in the same period sends nothing more.
/// </summary>
public static class ManagerDigests
{
    /// <summary>The period <paramref name="now"/> falls in, as its start: periods are counted from Monday 2024-01-01 00:00 UTC.</summary>
    public static DateTimeOffset PeriodStart(DateTimeOffset now, TimeSpan period)
    {
        var origin = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        long periods = (now - origin).Ticks / period.Ticks;
        return origin + TimeSpan.FromTicks(periods * period.Ticks);
    }

    /// <summary>The digests of the period that ended at <paramref name="periodStart"/> (it began one period earlier).</summary>
    public static IReadOnlyList<ManagerDigest> Build(CohortPlan plan, IReadOnlyList<Participant> roster, IReadOnlyList<Submission> submissions, DateTimeOffset periodStart, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(roster);
        ArgumentNullException.ThrowIfNull(submissions);
        DateTimeOffset from = periodStart - period;
        bool InPeriod(DateTimeOffset? at) => at >= from && at < periodStart;
        var people = roster.ToDictionary(p => p.EmployeeId, StringComparer.Ordinal);
        var digests = new List<ManagerDigest>();
        foreach (IGrouping<string, Submission> team in submissions
            .Where(s => InPeriod(s.SubmittedAt) || InPeriod(s.Decision?.DecidedAt))
            .Where(s => people.TryGetValue(s.ParticipantId, out Participant? p) && p.Hr.ManagerId is { Length: > 0 })
            .GroupBy(s => people[s.ParticipantId].Hr.ManagerId!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (!people.TryGetValue(team.Key, out Participant? manager) || manager.Hr.Email is not { } email || !EmailAddresses.IsPlain(email))
            {
                continue;
            }

            digests.Add(new ManagerDigest(team.Key, email, team
                .OrderBy(s => s.ParticipantId, StringComparer.Ordinal).ThenBy(s => s.StepId, StringComparer.Ordinal).ThenBy(s => s.Attempt)
                .Select(s => new DigestLine(
                    s.ParticipantId, people[s.ParticipantId].Hr.DisplayName, s.StepId, LearningPaths.Find(plan, s.StepId)?.Title ?? s.StepId,
                    s.Attempt, s.Status, s.SubmittedAt, s.Decision?.DecidedAt, s.Decision?.Feedback))
                .ToList()));
        }

        return digests;
    }

    /// <summary>The message of one digest; its id is <c>digest.{cohortId}.{managerId}.{periodStart}</c>.</summary>
    public static OutboundMessage Message(CohortPlan plan, ManagerDigest digest, DateTimeOffset periodStart, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(digest);
        string stamp = periodStart.UtcDateTime.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture);
        string span = $"{Time(periodStart - period)} to {Time(periodStart)}";
        var lines = digest.Lines.Select(l =>
            $"{l.ParticipantName ?? l.ParticipantId} — {l.StepTitle} (attempt {l.Attempt}): {Describe(l.Status)}" + (l.Feedback is { Length: > 0 } f ? $" — \"{f}\"" : string.Empty)).ToList();
        string text = $"Capability demonstrations of your people in {plan.Name}, {span}:\n\n" + string.Join("\n", lines.Select(l => "- " + l)) + "\n";
        string html = $"<html><body><p>Capability demonstrations of your people in {WebUtility.HtmlEncode(plan.Name)}, {span}:</p><ul>"
            + string.Concat(lines.Select(l => $"<li>{WebUtility.HtmlEncode(l)}</li>")) + "</ul></body></html>";
        return new OutboundMessage($"digest.{plan.Id}.{digest.ManagerId}.{stamp}", [digest.ManagerEmail], $"Your people's demonstrations in {plan.Name}: {digest.Lines.Count}", text, html);
    }

    private static string Describe(SubmissionStatus status) => status switch
    {
        SubmissionStatus.Accepted => "accepted",
        SubmissionStatus.ReworkRequested => "sent back for rework",
        SubmissionStatus.Escalated => "awaiting review (overdue, escalated)",
        _ => "awaiting review",
    };

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
