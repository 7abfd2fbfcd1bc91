using Cohorts.Domain.Learning;
namespace Cohorts.Domain;

/// <summary>
/// Validates a <see cref="CohortPlanDraft"/> and fills in the defaults of DESIGN.md. Every problem is reported,
/// each naming its field, so that a client fixes a plan in one round.
/// </summary>
public static class CohortPlanFactory
{
    /// <summary>At most this many checkpoints: a plan is a handful of dated reports, not a calendar.</summary>
    public const int MaxCheckpoints = 12;

    /// <summary>The longest checkpoint offset accepted (three years).</summary>
    public static readonly TimeSpan MaxCheckpointOffset = TimeSpan.FromDays(3 * 366);

    /// <summary>
    /// How far from now a start may be, either way: a cohort backfilled from last year or planned for the next ones,
    /// never a date whose checkpoints a clock cannot reach (9999-12-31 plus 90 days is not a date).
    /// </summary>
    public static readonly TimeSpan MaxStartDistance = TimeSpan.FromDays(5 * 366);

    /// <summary>The most leaders a plan may name: each is mailed every report, so a list longer than a leadership team is a mistake.</summary>
    public const int MaxLeaders = 50;

    /// <summary>The most reviewers a plan may name.</summary>
    public const int MaxReviewers = 100;

    /// <summary>The most advisory hours a month a baseline may name (a large programme's whole team, many times over).</summary>
    public const double MaxAdvisoryHoursPerMonth = 100_000;

    /// <summary>Turns <paramref name="draft"/> into a plan, or returns the errors; <paramref name="now"/> is the default start.</summary>
    public static PlanResult Create(CohortPlanDraft draft, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var errors = new List<PlanError>();

        string id = draft.Id?.Trim() ?? string.Empty;
        if (EntityIds.Validate(id) is { } idProblem)
        {
            errors.Add(new PlanError("id", id.Length == 0 ? "required" : "invalidId", idProblem));
        }

        string name = Required(draft.Name, "name", 200, errors);
        UseCase? useCase = ReadUseCase(draft.UseCase, errors);
        DateTimeOffset startsAt = (draft.StartsAt ?? now).ToUniversalTime();
        if ((startsAt - now).Duration() > MaxStartDistance)
        {
            errors.Add(new PlanError("startsAt", "outOfRange", $"startsAt is at most {MaxStartDistance.Days} days from now, either way."));
            startsAt = now;
        }
        IReadOnlyList<TimeSpan> checkpoints = ReadCheckpoints(draft.Checkpoints, errors);
        ReviewPolicy policy = ReadPolicy(draft.ReviewPolicy, errors);
        IReadOnlyList<string> leaders = ReadLeaders(draft.Leaders, errors);
        string programLead = Email(draft.ProgramLead, "programLead", errors);
        IReadOnlyList<Track> tracks = ReadTracks(draft.Tracks, "tracks", errors, defaultToAll: true);
        IReadOnlyList<Reviewer> reviewers = ReadReviewers(draft.Reviewers, errors);
        Baseline? baseline = ReadBaseline(draft.Baseline, errors);
        IReadOnlyDictionary<Track, IReadOnlyList<PathStep>>? paths = ReadPaths(draft.Paths, errors);
        Practice.CommunityPlan? community = ReadCommunity(draft.Community, errors);
        IReadOnlyList<Enrolment.SegmentationRule>? segmentation = CohortSegmentation.Read(draft.Segmentation, tracks, errors);

        if (errors.Count > 0 || useCase is null)
        {
            return new PlanResult(null, errors);
        }

        return new PlanResult(
            new CohortPlan(id, name, useCase, startsAt, checkpoints, policy, leaders, programLead, reviewers, baseline, tracks, paths, community, segmentation),
            errors);
    }

    /// <summary>The most steps a cohort's own path may have.</summary>
    public const int MaxPathSteps = 20;

    private static string KindName(StepKind kind) => string.Concat(char.ToLowerInvariant(kind.ToString()[0]).ToString(), kind.ToString()[1..]);

    private static Dictionary<Track, IReadOnlyList<PathStep>>? ReadPaths(IReadOnlyDictionary<string, IReadOnlyList<PathStepDraft?>?>? drafts, List<PlanError> errors)
    {
        if (drafts is null || drafts.Count == 0)
        {
            return null;
        }

        var paths = new Dictionary<Track, IReadOnlyList<PathStep>>();
        foreach ((string name, IReadOnlyList<PathStepDraft?>? steps) in drafts)
        {
            string field = $"paths.{name}";
            if (!TrackNames.TryParse(name, out Track track))
            {
                errors.Add(new PlanError(field, "unknownTrack", $"'{name}' is not a track; use one of {string.Join(", ", TrackNames.All)}."));
                continue;
            }

            if (steps is null || steps.Count == 0 || steps.Count > MaxPathSteps)
            {
                errors.Add(new PlanError(field, "invalidCount", $"{field} holds 1 to {MaxPathSteps} steps."));
                continue;
            }

            var path = new List<PathStep>();
            for (int i = 0; i < steps.Count; i++)
            {
                string at = $"{field}[{i}]";
                PathStepDraft? step = steps[i];
                if (step is null)
                {
                    errors.Add(new PlanError(at, "required", $"{at} is empty."));
                    continue;
                }

                StepKind? kind = Enum.GetValues<StepKind>().Select(k => (StepKind?)k).FirstOrDefault(k => KindName(k!.Value) == step.Kind);
                if (kind is null)
                {
                    errors.Add(new PlanError($"{at}.kind", "unknownKind", $"{at}.kind '{step.Kind}' is not a step kind; use problemFraming, task, toolInContext or capabilityDemonstration."));
                }
                else if (i == 0 && kind != StepKind.ProblemFraming)
                {
                    errors.Add(new PlanError($"{at}.kind", "notProblemFirst", $"{at}.kind must be problemFraming: a path starts from the use case's problem."));
                }

                string title = Required(step.Title, $"{at}.title", 200, errors);
                string instructions = Required(step.Instructions, $"{at}.instructions", 4000, errors);
                if (step.Day is not { } day || day < 0 || day > LearningPaths.DefaultLength.Days)
                {
                    errors.Add(new PlanError($"{at}.day", "outOfRange", $"{at}.day is the day the step is due on the 90-day scale: 0 to {LearningPaths.DefaultLength.Days}."));
                }
                else if (path.Count > 0 && day < path[^1].Day)
                {
                    errors.Add(new PlanError($"{at}.day", "notIncreasing", $"{at}.day comes before the step before it."));
                }
                else if (kind is { } k)
                {
                    path.Add(new PathStep(k, title, instructions, day));
                }
            }

            if (path.Count == steps.Count && !path.Any(s => s.Kind == StepKind.CapabilityDemonstration))
            {
                errors.Add(new PlanError(field, "noDemonstration", $"{field} needs a capabilityDemonstration step: the path ends in reviewed work."));
            }

            paths[track] = path;
        }

        return paths;
    }

    private static string Required(string? value, string field, int maxLength, List<PlanError> errors)
    {
        string text = value?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            errors.Add(new PlanError(field, "required", $"{field} is required."));
        }
        else if (text.Length > maxLength)
        {
            errors.Add(new PlanError(field, "tooLong", $"{field} must be at most {maxLength} characters."));
        }

        return text;
    }

    private static Practice.CommunityPlan? ReadCommunity(CommunityDraft? draft, List<PlanError> errors)
    {
        if (draft is null)
        {
            return null;
        }

        Practice.CommunityKind? kind = draft.Kind switch
        {
            "teams" => Practice.CommunityKind.Teams,
            "vivaEngage" => Practice.CommunityKind.VivaEngage,
            _ => null,
        };
        if (kind is null)
        {
            errors.Add(new PlanError("community.kind", "invalidKind", "community.kind is teams (a Teams team per cohort) or vivaEngage."));
            return null;
        }

        string? owner = string.IsNullOrWhiteSpace(draft.OwnerId) ? null : draft.OwnerId.Trim();
        if (owner is not null && !Guid.TryParseExact(owner, "D", out _))
        {
            errors.Add(new PlanError("community.ownerId", "invalidOwnerId", "community.ownerId is the directory object id (a GUID) of the team's owner; without it the program lead's account owns it."));
            return null;
        }

        return new Practice.CommunityPlan(kind.Value, owner?.ToLowerInvariant());
    }

    private static UseCase? ReadUseCase(UseCaseDraft? draft, List<PlanError> errors)
    {
        if (draft is null)
        {
            errors.Add(new PlanError("useCase", "required", "useCase is required: the production use case the cohort trains around."));
            return null;
        }

        string title = Required(draft.Title, "useCase.title", 200, errors);
        string problem = Required(draft.Problem, "useCase.problem", 4000, errors);
        Uri? sandbox = null;
        if (!string.IsNullOrWhiteSpace(draft.SandboxUrl)
            && (!Uri.TryCreate(draft.SandboxUrl.Trim(), UriKind.Absolute, out sandbox) || (sandbox.Scheme != Uri.UriSchemeHttps && sandbox.Scheme != Uri.UriSchemeHttp)))
        {
            errors.Add(new PlanError("useCase.sandboxUrl", "invalidUrl", "useCase.sandboxUrl must be an absolute http(s) URL."));
            sandbox = null;
        }

        string? extract = string.IsNullOrWhiteSpace(draft.DataExtract) ? null : draft.DataExtract.Trim();
        if (extract is not null && Practice.ExtractNames.ContainerProblem(extract) is { } badContainer)
        {
            errors.Add(new PlanError("useCase.dataExtract", "invalidContainer", $"useCase.dataExtract names the storage container of the use case's extract and {badContainer}."));
            extract = null;
        }

        var tooling = (draft.Tooling ?? []).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t!.Trim()).ToList();
        string? group = string.IsNullOrWhiteSpace(draft.SandboxGroupId) ? null : draft.SandboxGroupId.Trim();
        if (group is not null && !Guid.TryParseExact(group, "D", out _))
        {
            errors.Add(new PlanError("useCase.sandboxGroupId", "invalidGroupId", "useCase.sandboxGroupId is the object id (a GUID) of the Entra security group that holds access to the extract."));
            group = null;
        }

        return new UseCase(title, problem, extract, sandbox, tooling, group?.ToLowerInvariant());
    }

    private static List<TimeSpan> ReadCheckpoints(IReadOnlyList<string?>? drafts, List<PlanError> errors)
    {
        if (drafts is null)
        {
            return [.. CohortPlan.DefaultCheckpoints];
        }

        if (drafts.Count == 0 || drafts.Count > MaxCheckpoints)
        {
            errors.Add(new PlanError("checkpoints", "invalidCount", $"checkpoints must hold 1 to {MaxCheckpoints} offsets; the last is the final report."));
            return [];
        }

        var offsets = new List<TimeSpan>();
        for (int i = 0; i < drafts.Count; i++)
        {
            string field = $"checkpoints[{i}]";
            if (!IsoDuration.TryParse(drafts[i], out TimeSpan? offset))
            {
                errors.Add(new PlanError(field, "invalidDuration", $"{field} '{drafts[i]}' is not an ISO 8601 duration such as P30D or PT5S."));
                continue;
            }

            if (offset <= TimeSpan.Zero || offset > MaxCheckpointOffset)
            {
                errors.Add(new PlanError(field, "outOfRange", $"{field} must be after the start and at most P{MaxCheckpointOffset.Days}D."));
            }
            else if (offsets.Count > 0 && offset <= offsets[^1])
            {
                errors.Add(new PlanError(field, "notIncreasing", $"{field} must come after the checkpoint before it."));
            }

            offsets.Add(offset.Value);
        }

        return offsets;
    }

    private static ReviewPolicy ReadPolicy(ReviewPolicyDraft? draft, List<PlanError> errors)
    {
        TimeSpan window = Duration(draft?.Window, "reviewPolicy.window", ReviewPolicy.Default.Window, errors);
        TimeSpan reminder = Duration(draft?.Reminder, "reviewPolicy.reminder", ReviewPolicy.Default.Reminder, errors);
        if (draft?.Window is not null && draft.Reminder is null && window <= reminder)
        {
            reminder = window / 2; // a shortened window with no reminder given: remind halfway, as the default does
        }

        if (window > TimeSpan.Zero && reminder > TimeSpan.Zero && reminder >= window)
        {
            errors.Add(new PlanError("reviewPolicy.reminder", "outOfRange", "reviewPolicy.reminder must come before reviewPolicy.window."));
        }

        return new ReviewPolicy(window, reminder);
    }

    private static TimeSpan Duration(string? text, string field, TimeSpan fallback, List<PlanError> errors)
    {
        if (text is null)
        {
            return fallback;
        }

        if (!IsoDuration.TryParse(text, out TimeSpan? value))
        {
            errors.Add(new PlanError(field, "invalidDuration", $"{field} '{text}' is not an ISO 8601 duration such as PT48H."));
            return TimeSpan.Zero;
        }

        if (value <= TimeSpan.Zero)
        {
            errors.Add(new PlanError(field, "outOfRange", $"{field} must be longer than zero."));
        }

        return value.Value;
    }

    private static List<string> ReadLeaders(IReadOnlyList<string?>? drafts, List<PlanError> errors)
    {
        if (drafts is null || drafts.Count == 0)
        {
            errors.Add(new PlanError("leaders", "required", "leaders must name at least one email: they receive the checkpoint reports."));
            return [];
        }

        if (drafts.Count > MaxLeaders)
        {
            errors.Add(new PlanError("leaders", "tooMany", $"leaders names at most {MaxLeaders} addresses ({drafts.Count} sent): each is mailed every report."));
            return [];
        }

        var leaders = new List<string>();
        for (int i = 0; i < drafts.Count; i++)
        {
            string email = Email(drafts[i], $"leaders[{i}]", errors);
            if (email.Length > 0 && leaders.Contains(email, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add(new PlanError($"leaders[{i}]", "duplicate", $"leaders[{i}] '{email}' is listed twice."));
            }

            leaders.Add(email);
        }

        return leaders;
    }

    private static string Email(string? value, string field, List<PlanError> errors)
    {
        string text = value?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            errors.Add(new PlanError(field, "required", $"{field} is required (an email address)."));
        }
        else if (!EmailAddresses.IsPlain(text))
        {
            errors.Add(new PlanError(field, "invalidEmail", $"{field} '{text}' is not a plain email address."));
        }

        return text;
    }

    private static List<Track> ReadTracks(IReadOnlyList<string?>? drafts, string field, List<PlanError> errors, bool defaultToAll)
    {
        if (drafts is null || (drafts.Count == 0 && defaultToAll))
        {
            return defaultToAll ? [.. Enum.GetValues<Track>()] : [];
        }

        var tracks = new List<Track>();
        for (int i = 0; i < drafts.Count; i++)
        {
            if (!TrackNames.TryParse(drafts[i], out Track track))
            {
                errors.Add(new PlanError($"{field}[{i}]", "unknownTrack", $"{field}[{i}] '{drafts[i]}' is not a track; use one of {string.Join(", ", TrackNames.All)}."));
            }
            else if (tracks.Contains(track))
            {
                errors.Add(new PlanError($"{field}[{i}]", "duplicate", $"{field}[{i}] '{drafts[i]}' is listed twice."));
            }
            else
            {
                tracks.Add(track);
            }
        }

        return tracks;
    }

    private static List<Reviewer> ReadReviewers(IReadOnlyList<ReviewerDraft?>? drafts, List<PlanError> errors)
    {
        var reviewers = new List<Reviewer>();
        if (drafts?.Count > MaxReviewers)
        {
            errors.Add(new PlanError("reviewers", "tooMany", $"reviewers names at most {MaxReviewers} people ({drafts.Count} sent)."));
            return reviewers;
        }

        for (int i = 0; i < (drafts?.Count ?? 0); i++)
        {
            string field = $"reviewers[{i}]";
            ReviewerDraft? draft = drafts![i];
            if (draft is null)
            {
                errors.Add(new PlanError(field, "required", $"{field} is empty."));
                continue;
            }

            string id = draft.Id?.Trim() ?? string.Empty;
            if (EntityIds.Validate(id) is { } problem)
            {
                errors.Add(new PlanError($"{field}.id", id.Length == 0 ? "required" : "invalidId", problem));
            }
            else if (reviewers.Any(r => r.Id == id))
            {
                errors.Add(new PlanError($"{field}.id", "duplicate", $"{field}.id '{id}' is listed twice."));
            }

            string email = Email(draft.Email, $"{field}.email", errors);
            List<Track> tracks = ReadTracks(draft.Tracks, $"{field}.tracks", errors, defaultToAll: false);
            reviewers.Add(new Reviewer(id, email, tracks, draft.Backup ?? false));
        }

        return reviewers;
    }

    private static Baseline? ReadBaseline(BaselineDraft? draft, List<PlanError> errors)
    {
        if (draft is null)
        {
            return null;
        }

        if (draft.AdvisoryHoursPerMonth is { } hours && !(hours >= 0 && hours <= MaxAdvisoryHoursPerMonth))
        {
            errors.Add(new PlanError("baseline.advisoryHoursPerMonth", "outOfRange", $"baseline.advisoryHoursPerMonth is from 0 to {MaxAdvisoryHoursPerMonth}."));
        }

        if (draft.FirstPassRate is { } rate && !(rate >= 0 && rate <= 1))
        {
            errors.Add(new PlanError("baseline.firstPassRate", "outOfRange", "baseline.firstPassRate is a share from 0 to 1."));
        }

        TimeSpan? toProduction = null;
        if (draft.TimeToProduction is not null)
        {
            toProduction = Duration(draft.TimeToProduction, "baseline.timeToProduction", TimeSpan.Zero, errors);
        }

        return new Baseline(draft.AdvisoryHoursPerMonth, toProduction, draft.FirstPassRate);
    }
}

/// <summary>A plan, or the reasons there is none.</summary>
public sealed record PlanResult(CohortPlan? Plan, IReadOnlyList<PlanError> Errors);
