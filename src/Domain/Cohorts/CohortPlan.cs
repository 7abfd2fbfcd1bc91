namespace Cohorts.Domain;

/// <summary>The production use case a cohort trains around; every step and assessment refers to it.</summary>
/// <param name="Title">Short name of the use case.</param>
/// <param name="Problem">The business problem, stated first in every path.</param>
/// <param name="DataExtract">The storage container of the production-representative data extract, when there is one.</param>
/// <param name="SandboxUrl">Where participants practise on that data.</param>
/// <param name="Tooling">The tools the use case is built with.</param>
/// <param name="SandboxGroupId">The Entra security group that holds read access to the extract; its members are kept equal to the active trained participants.</param>
public sealed record UseCase(string Title, string Problem, string? DataExtract, Uri? SandboxUrl, IReadOnlyList<string> Tooling, string? SandboxGroupId = null);

/// <summary>The review promise: a verdict within <paramref name="Window"/>, a reminder after <paramref name="Reminder"/>.</summary>
public sealed record ReviewPolicy(TimeSpan Window, TimeSpan Reminder)
{
    /// <summary>48 hours to a verdict, a reminder at 24 hours.</summary>
    public static ReviewPolicy Default { get; } = new(TimeSpan.FromHours(48), TimeSpan.FromHours(24));
}

/// <summary>A person who reviews capability demonstrations for some tracks; a backup reviewer takes escalations.</summary>
public sealed record Reviewer(string Id, string Email, IReadOnlyList<Track> Tracks, bool Backup);

/// <summary>Pre-training figures the 90-day outcomes are compared with. Any of them may be unknown.</summary>
public sealed record Baseline(double? AdvisoryHoursPerMonth, TimeSpan? TimeToProduction, double? FirstPassRate);

/// <summary>One checkpoint of a cohort's schedule: its ordinal (1-based), its offset from the start and its due time.</summary>
public sealed record CheckpointDue(int Ordinal, TimeSpan Offset, DateTimeOffset DueAt);

/// <summary>One step of a cohort's own path for a track, replacing the default (<paramref name="Day"/> on the 90-day scale).</summary>
public sealed record PathStep(Learning.StepKind Kind, string Title, string Instructions, int Day);

/// <summary>A validated cohort plan: what HR creates and what the lifecycle walks.</summary>
/// <remarks>
/// <see cref="Paths"/> holds the tracks whose path the cohort sets itself; the others follow the default paths.
/// <see cref="Segmentation"/> holds the cohort's own rules, tried before occupation codes and the default rules.
/// </remarks>
public sealed record CohortPlan(
    string Id,
    string Name,
    UseCase UseCase,
    DateTimeOffset StartsAt,
    IReadOnlyList<TimeSpan> Checkpoints,
    ReviewPolicy ReviewPolicy,
    IReadOnlyList<string> Leaders,
    string ProgramLead,
    IReadOnlyList<Reviewer> Reviewers,
    Baseline? Baseline,
    IReadOnlyList<Track> Tracks,
    IReadOnlyDictionary<Track, IReadOnlyList<PathStep>>? Paths = null,
    Practice.CommunityPlan? Community = null,
    IReadOnlyList<Enrolment.SegmentationRule>? Segmentation = null)
{
    /// <summary>The default checkpoint offsets: day 30, 60 and 90; the last is the final report.</summary>
    public static IReadOnlyList<TimeSpan> DefaultCheckpoints { get; } =
        [TimeSpan.FromDays(30), TimeSpan.FromDays(60), TimeSpan.FromDays(90)];

    /// <summary>The checkpoints with their ordinals and due times, in order.</summary>
    public IReadOnlyList<CheckpointDue> Schedule() =>
        Checkpoints.Select((offset, index) => new CheckpointDue(index + 1, offset, StartsAt + offset)).ToList();
}
