using System.Globalization;
using System.Net;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Learning;

namespace Cohorts.Domain.Reviews;

/// <summary>
/// The messages of a review's course. Each has a deterministic id (<c>{submissionId}.{kind}</c>) so that a retried
/// activity sends it at most once. Names and addresses are read from the store by the activity, never carried by the
/// orchestration.
/// </summary>
public static class ReviewMessages
{
    /// <summary>The message id of one kind of message about a submission.</summary>
    public static string IdOf(string submissionId, string kind) => $"{submissionId}.{kind}";

    /// <summary>To the assigned reviewer: a verdict is asked for by the due time.</summary>
    public static OutboundMessage Request(Submission s, CohortPlan plan, Participant? participant) =>
        Message(s, "request", [EmailOf(plan, s.ReviewerId)], $"Review requested: {Title(s, plan)}",
            $"{Who(s, participant)} submitted attempt {s.Attempt} of \"{Title(s, plan)}\" for {plan.Name}.",
            $"Artifact: {s.ArtifactUrl}",
            $"Your verdict (accepted or rework, with feedback) is due by {Time(s.DueAt)}. Post it to /api/submissions/{s.SubmissionId}/review.");

    /// <summary>To the reviewer a review moved to (<c>{submissionId}.reassigned-{n}</c> for the n-th move): the same due time.</summary>
    public static OutboundMessage Reassigned(Submission s, CohortPlan plan, Participant? participant)
    {
        ArgumentNullException.ThrowIfNull(s);
        ReviewerMove move = s.Moves is { Count: > 0 } moves ? moves[^1] : throw new InvalidOperationException($"Submission '{s.SubmissionId}' never moved.");
        return Message(s, $"reassigned-{s.Moves.Count.ToString(CultureInfo.InvariantCulture)}", [EmailOf(plan, s.ReviewerId)], $"Review moved to you: {Title(s, plan)}",
            $"The review of attempt {s.Attempt} of \"{Title(s, plan)}\" by {Who(s, participant)} for {plan.Name} moved to you from {move.From}.",
            $"Artifact: {s.ArtifactUrl}",
            $"The verdict is still due by {Time(s.DueAt)}. Post it to /api/submissions/{s.SubmissionId}/review.");
    }

    /// <summary>To the assigned reviewer when the reminder time passes without a verdict.</summary>
    public static OutboundMessage Reminder(Submission s, CohortPlan plan, Participant? participant) =>
        Message(s, "reminder", [EmailOf(plan, s.ReviewerId)], $"Reminder: review due {Time(s.DueAt)} — {Title(s, plan)}",
            $"The review of attempt {s.Attempt} of \"{Title(s, plan)}\" by {Who(s, participant)} is still open.",
            $"Artifact: {s.ArtifactUrl}",
            $"The cohort promises feedback by {Time(s.DueAt)}.");

    /// <summary>To the escalation chain (and the assigned reviewer) when the due time passes without a verdict.</summary>
    public static OutboundMessage Escalation(Submission s, CohortPlan plan, Participant? participant)
    {
        ArgumentNullException.ThrowIfNull(s);
        var to = (s.EscalatedTo ?? []).Select(id => EmailOf(plan, id)).Append(EmailOf(plan, s.ReviewerId)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return Message(s, "escalation", to, $"Escalated: review overdue — {Title(s, plan)}",
            $"The review of attempt {s.Attempt} of \"{Title(s, plan)}\" by {Who(s, participant)} was due {Time(s.DueAt)} and has no verdict.",
            $"Assigned reviewer: {s.ReviewerId}. Any of {string.Join(", ", s.EscalatedTo ?? [])} may now decide it.",
            $"Artifact: {s.ArtifactUrl}");
    }

    /// <summary>To the participant (when their address is known) with the verdict and feedback; the reviewer gets a copy.</summary>
    public static OutboundMessage Decision(Submission s, CohortPlan plan, Participant? participant)
    {
        ArgumentNullException.ThrowIfNull(s);
        ReviewDecision decision = s.Decision ?? throw new InvalidOperationException($"Submission '{s.SubmissionId}' is not decided.");
        var to = new List<string>();
        if (participant?.Hr.Email is { } email && EmailAddresses.IsPlain(email))
        {
            to.Add(email);
        }

        to.Add(EmailOf(plan, s.ReviewerId));
        string verdict = decision.Verdict == Verdict.Accepted ? "accepted" : "sent back for rework";
        string rubric = decision.Rubric is { Count: > 0 } r
            ? "Rubric: " + string.Join(", ", r.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value.ToString(CultureInfo.InvariantCulture)}"))
            : "No rubric scores.";
        return Message(s, "decision", to.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), $"Your submission was {verdict}: {Title(s, plan)}",
            $"Attempt {s.Attempt} of \"{Title(s, plan)}\" was {verdict} by {decision.DecidedBy} on {Time(decision.DecidedAt)}.",
            $"Feedback: {decision.Feedback}",
            rubric,
            decision.Verdict == Verdict.Rework ? "Submit attempt " + (s.Attempt + 1).ToString(CultureInfo.InvariantCulture) + " when it is ready." : "This demonstration is done.");
    }

    /// <summary>The reviewer's (or program lead's) address: a reviewer id of the plan, or an address itself.</summary>
    public static string EmailOf(CohortPlan plan, string id)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Reviewers.FirstOrDefault(r => string.Equals(r.Id, id, StringComparison.OrdinalIgnoreCase))?.Email ?? id;
    }

    private static OutboundMessage Message(Submission s, string kind, IReadOnlyList<string> to, string subject, params string[] lines)
    {
        ArgumentNullException.ThrowIfNull(s);
        string text = string.Join("\n\n", lines) + "\n";
        string html = "<html><body>" + string.Concat(lines.Select(l => $"<p>{WebUtility.HtmlEncode(l)}</p>")) + "</body></html>";
        return new OutboundMessage(IdOf(s.SubmissionId, kind), to, subject, text, html);
    }

    private static string Title(Submission s, CohortPlan plan) => LearningPaths.Find(plan, s.StepId)?.Title ?? s.StepId;

    private static string Who(Submission s, Participant? participant) => participant?.Hr.DisplayName is { Length: > 0 } name ? $"{name} ({s.ParticipantId})" : s.ParticipantId;

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
