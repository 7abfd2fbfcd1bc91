using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Learning;
using Cohorts.Domain.Reviews;

namespace Cohorts.Application.Enrolment;

/// <summary>One participant with the steps assigned to them and where each stands.</summary>
public sealed record ParticipantDetail(Participant Participant, IReadOnlyList<Assignment> Assignments);

/// <summary>Which part of a roster to list (a group, a track or triage), and where to continue.</summary>
public sealed record RosterQuery(Track? Track, bool TriageOnly, int PageSize, string? ContinuationToken, ParticipantGroup Group = ParticipantGroup.Trained);

/// <summary>The roster use cases: list it, read one person with their assignments, place a person on a track by hand.</summary>
public sealed class RosterService(ICohortStore cohorts, IRosterStore roster, ISubmissionStore submissions, ICompletionStore completions)
{
    /// <summary>A page of the roster; the continuation token is bound to this cohort's roster (<see cref="PageTokens"/>).</summary>
    public async Task<Result<ParticipantPage>> ListAsync(string cohortId, RosterQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (await cohorts.FindAsync(cohortId, cancellationToken) is null)
        {
            return Failure.CohortNotFound(cohortId);
        }

        string scope = $"participants:{cohortId}:{RosterDiffer.GroupName(query.Group)}";
        string? continuation = null;
        if (query.ContinuationToken is { } token && !PageTokens.TryUnwrap(scope, token, out continuation))
        {
            return Failure.ForeignContinuationToken();
        }

        ParticipantPage page = await roster.ListAsync(cohortId, query.Group, query.Track, query.TriageOnly, continuation, query.PageSize, cancellationToken);
        return page with { ContinuationToken = PageTokens.Wrap(scope, page.ContinuationToken) };
    }

    /// <summary>One participant and their assignments.</summary>
    public async Task<Result<ParticipantDetail>> GetAsync(string cohortId, string participantId, CancellationToken cancellationToken)
    {
        CohortRecord? cohort = await cohorts.FindAsync(cohortId, cancellationToken);
        Participant? participant = cohort is null ? null : await roster.GetAsync(cohortId, participantId, cancellationToken);
        if (cohort is null || participant is null)
        {
            return Failure.ParticipantNotFound(cohortId, participantId);
        }

        IReadOnlyList<Submission> attempts = await submissions.ListForParticipantAsync(cohortId, participant.EmployeeId, cancellationToken);
        IReadOnlyList<StepCompletion> done = await completions.ListForParticipantAsync(cohortId, participant.EmployeeId, cancellationToken);
        // a comparison person is never assigned anything
        return new ParticipantDetail(participant, participant.Trained ? Assignments.For(cohort.Plan, participant, attempts, done) : []);
    }

    /// <summary>
    /// Places a triaged person on a track of the cohort, or overrides their track, as a caller in role <paramref name="by"/>;
    /// refused for someone who left the source.
    /// </summary>
    public async Task<Result<Participant>> SetTrackAsync(string cohortId, string participantId, string? trackName, string? reason, string by, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await cohorts.FindAsync(cohortId, cancellationToken) is not { } cohort)
        {
            return Failure.CohortNotFound(cohortId);
        }

        if (!TrackNames.TryParse(trackName, out Track track) || !cohort.Plan.Tracks.Contains(track))
        {
            return Failure.Invalid(ErrorCodes.InvalidTrack, "Not a track of this cohort",
                $"'{trackName}' is not one of this cohort's tracks: {string.Join(", ", cohort.Plan.Tracks.Select(TrackNames.Name))}.", "track");
        }

        string why = string.IsNullOrWhiteSpace(reason) ? $"placed by {by}" : reason.Trim();
        bool suspended = false;
        Participant? updated = await roster.UpdateAsync(cohortId, participantId, p =>
        {
            suspended = p.Status == ParticipantStatus.Suspended;
            return suspended ? p : p.WithTrackOverride(track, why, by, now);
        }, cancellationToken);
        return updated is null ? Failure.ParticipantNotFound(cohortId, participantId)
            : suspended ? Failure.Conflict(ErrorCodes.ParticipantSuspended, "The participant is suspended",
                $"'{participantId}' left the source; a later import that lists them again re-activates them.", "participantId")
            : updated;
    }
}
