using Cohorts.Domain;
using Cohorts.Domain.Enrolment;

namespace Cohorts.Api;

/// <summary>A cohort as <c>GET /api/cohorts/{cohortId}</c> shows it.</summary>
public sealed record CohortView(
    string Id,
    string Name,
    CohortStatus Status,
    UseCase UseCase,
    DateTimeOffset StartsAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset StatusChangedAt,
    IReadOnlyList<Track> Tracks,
    ReviewPolicy ReviewPolicy,
    IReadOnlyList<string> Leaders,
    string ProgramLead,
    Baseline? Baseline,
    RosterView Roster,
    ReviewsView Reviews,
    IReadOnlyList<CheckpointView> Checkpoints,
    IReadOnlyList<Reviewer> Reviewers,
    int Revision,
    IReadOnlyList<CohortChange> Changes,
    LearningRecordsView? LearningRecords = null,
    CommunityView? Community = null,
    IReadOnlyList<SegmentationRuleView>? Segmentation = null)
{
    /// <summary>Builds the view of <paramref name="record"/> with the status the caller decided on.</summary>
    public static CohortView From(CohortRecord record, CohortStatus status, RosterCounts? roster = null, Domain.Reviews.ReviewTally? reviews = null, (int Received, int Unmatched)? learningRecords = null,
        Domain.Practice.CommunityRecord? community = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        CohortPlan plan = record.Plan;
        var checkpoints = plan.Schedule().Select(due =>
        {
            CheckpointSnapshot? snapshot = record.Checkpoints.FirstOrDefault(c => c.Ordinal == due.Ordinal);
            return new CheckpointView(
                due.Ordinal,
                due.Offset,
                due.DueAt,
                snapshot is null ? CheckpointState.Pending : CheckpointState.Recorded,
                snapshot?.RecordedAt,
                due.Ordinal == plan.Checkpoints.Count);
        }).ToList();
        return new CohortView(
            plan.Id, plan.Name, status, plan.UseCase, plan.StartsAt, record.CreatedAt, record.StatusChangedAt, plan.Tracks,
            plan.ReviewPolicy, plan.Leaders, plan.ProgramLead, plan.Baseline,
            new RosterView(
                roster?.Active ?? 0,
                plan.Tracks.ToDictionary(TrackNames.Name, t => roster?.ByTrack.GetValueOrDefault(t) ?? 0),
                roster?.Triage ?? 0,
                roster?.Suspended ?? 0,
                roster?.Comparison ?? 0),
            reviews is null ? new ReviewsView(0, 0, 0, null) : new ReviewsView(reviews.Submitted, reviews.DecidedInWindow, reviews.Escalations, reviews.MedianTimeToFeedback()),
            checkpoints,
            plan.Reviewers,
            record.Revision,
            record.Changes ?? [],
            learningRecords is { } xapi ? new LearningRecordsView(xapi.Received, xapi.Unmatched) : null,
            plan.Community is { } wanted
                ? new CommunityView(
                    wanted.Kind,
                    community is null ? "pending" : community.State.ToString().ToLowerInvariant(),
                    wanted.Kind == Domain.Practice.CommunityKind.Teams ? community?.TeamId : null,
                    wanted.Kind == Domain.Practice.CommunityKind.VivaEngage ? community?.TeamId : null,
                    community?.WebUrl,
                    community?.Members ?? 0,
                    community?.Channels ?? [],
                    community?.Error)
                : null,
            plan.Segmentation?.Select(SegmentationRuleView.Of).ToList() ?? []);
    }
}

/// <summary>One of the cohort's own segmentation rules, as the plan wrote it (<c>track</c> is a track's name or <c>triage</c>).</summary>
public sealed record SegmentationRuleView(string Id, string Attribute, string Pattern, string Track, string Reason)
{
    /// <summary>The view of <paramref name="rule"/>.</summary>
    public static SegmentationRuleView Of(SegmentationRule rule)
    {
        SegmentationRuleDraft draft = CohortSegmentation.Draft(rule);
        return new(draft.Id!, draft.Attribute!, draft.Pattern!, draft.Track!, draft.Reason!);
    }
}

/// <summary>Whether a checkpoint's snapshot exists yet.</summary>
public enum CheckpointState
{
    /// <summary>Not yet due, or due and not yet recorded.</summary>
    Pending,

    /// <summary>Recorded.</summary>
    Recorded,
}

/// <summary>One checkpoint of the schedule.</summary>
public sealed record CheckpointView(int Ordinal, TimeSpan Offset, DateTimeOffset DueAt, CheckpointState Status, DateTimeOffset? RecordedAt, bool Final);

/// <summary>Head counts of the roster: active participants per track and those awaiting triage.</summary>
public sealed record RosterView(int Active, IReadOnlyDictionary<string, int> ByTrack, int Triage, int Suspended, int Comparison = 0);

/// <summary>
/// The cohort's community of practice: its kind, where its creation stands (<c>pending</c> until asked for, then
/// <c>creating</c>, <c>created</c> or <c>failed</c>), the team's id and link or the Viva Engage community's id, its members
/// and channels (a team's), the last problem met.
/// </summary>
public sealed record CommunityView(Domain.Practice.CommunityKind Kind, string State, string? TeamId, string? CommunityId, Uri? WebUrl, int Members, IReadOnlyList<string> Channels, string? Error);

/// <summary>xAPI statements naming the cohort: how many arrived, and how many matched no participant or step.</summary>
public sealed record LearningRecordsView(int Received, int Unmatched);

/// <summary>Review counts and SLA figures.</summary>
public sealed record ReviewsView(int Total, int WithinWindow, int Escalated, TimeSpan? MedianTimeToFeedback);
