namespace Cohorts.Domain;

/// <summary>
/// A cohort plan as a client sent it: every field optional and unparsed, so that validation can name each field
/// at fault instead of failing on the first. <see cref="CohortPlanFactory"/> turns it into a <see cref="CohortPlan"/>.
/// </summary>
public sealed record CohortPlanDraft
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public UseCaseDraft? UseCase { get; init; }
    public DateTimeOffset? StartsAt { get; init; }
    public IReadOnlyList<string?>? Checkpoints { get; init; }
    public ReviewPolicyDraft? ReviewPolicy { get; init; }
    public IReadOnlyList<string?>? Leaders { get; init; }
    public string? ProgramLead { get; init; }
    public IReadOnlyList<ReviewerDraft?>? Reviewers { get; init; }
    public BaselineDraft? Baseline { get; init; }
    public IReadOnlyList<string?>? Tracks { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyList<PathStepDraft?>?>? Paths { get; init; }
    public CommunityDraft? Community { get; init; }
    public IReadOnlyList<SegmentationRuleDraft?>? Segmentation { get; init; }
}

/// <summary>One of a cohort's own segmentation rules as sent.</summary>
public sealed record SegmentationRuleDraft
{
    public string? Id { get; init; }
    public string? Attribute { get; init; }
    public string? Pattern { get; init; }
    public string? Track { get; init; }
    public string? Reason { get; init; }
}

/// <summary>The community of practice as sent.</summary>
public sealed record CommunityDraft
{
    public string? Kind { get; init; }
    public string? OwnerId { get; init; }
}

/// <summary>A step of a cohort's own path as sent.</summary>
public sealed record PathStepDraft
{
    public string? Kind { get; init; }
    public string? Title { get; init; }
    public string? Instructions { get; init; }
    public int? Day { get; init; }
}

/// <summary>The use case as sent.</summary>
public sealed record UseCaseDraft
{
    public string? Title { get; init; }
    public string? Problem { get; init; }
    public string? DataExtract { get; init; }
    public string? SandboxUrl { get; init; }
    public IReadOnlyList<string?>? Tooling { get; init; }
    public string? SandboxGroupId { get; init; }
}

/// <summary>The review policy as sent (ISO 8601 durations).</summary>
public sealed record ReviewPolicyDraft
{
    public string? Window { get; init; }
    public string? Reminder { get; init; }
}

/// <summary>A reviewer as sent.</summary>
public sealed record ReviewerDraft
{
    public string? Id { get; init; }
    public string? Email { get; init; }
    public IReadOnlyList<string?>? Tracks { get; init; }
    public bool? Backup { get; init; }
}

/// <summary>The baseline as sent.</summary>
public sealed record BaselineDraft
{
    public double? AdvisoryHoursPerMonth { get; init; }
    public string? TimeToProduction { get; init; }
    public double? FirstPassRate { get; init; }
}
