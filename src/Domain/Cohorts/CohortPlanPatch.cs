using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Cohorts.Domain.Learning;

namespace Cohorts.Domain;

/// <summary>What a merge patch of a plan came to: the new plan and the fields it changed, or why it cannot apply.</summary>
/// <param name="Plan">The plan after the patch (null when refused).</param>
/// <param name="Changed">The top-level fields whose value changed, in the order the plan lists them.</param>
/// <param name="Errors">Validation errors (the patched plan is not a valid plan), each naming its field.</param>
/// <param name="ImmutableField">The first field the patch changes that a created cohort cannot change.</param>
public sealed record PlanPatchResult(CohortPlan? Plan, IReadOnlyList<string> Changed, IReadOnlyList<PlanError> Errors, string? ImmutableField);

/// <summary>
/// Applies a JSON merge patch (RFC 7396) to a cohort plan: the plan is written out in the form a client sends, the
/// patch merged into it, and the result validated as a new plan by <see cref="CohortPlanFactory"/>. Fields are compared
/// after validation, so a value written differently but meaning the same (an offset time, a reordered member) changes
/// nothing. The schedule (<c>id</c>, <c>startsAt</c>, <c>checkpoints</c>), the paths (<c>tracks</c>, <c>paths</c>) and the
/// community are fixed once the cohort exists: its lifecycle and practice were started with them and its assignments
/// were pushed from them. The cohort's own segmentation rules change freely and apply from the next import.
/// </summary>
public static class CohortPlanPatch
{
    /// <summary>The fields that a created cohort keeps.</summary>
    public static IReadOnlyList<string> Immutable { get; } = ["id", "startsAt", "checkpoints", "tracks", "paths", "community"];

    /// <summary>Every top-level field of a plan, in the order the plan lists them.</summary>
    public static IReadOnlyList<string> Fields { get; } =
        ["id", "name", "useCase", "startsAt", "checkpoints", "reviewPolicy", "leaders", "programLead", "reviewers", "baseline", "tracks", "paths", "community", "segmentation"];

    private static readonly JsonSerializerOptions DraftJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Applies <paramref name="patch"/> to <paramref name="current"/>.</summary>
    /// <exception cref="JsonException">The patch holds a member the plan does not have, or a value of the wrong type (the path names it).</exception>
    public static PlanPatchResult Apply(CohortPlan current, JsonObject patch, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(patch);
        JsonObject before = Write(current);
        JsonNode? merged = Merge(before.DeepClone(), patch);
        CohortPlanDraft draft = merged?.Deserialize<CohortPlanDraft>(DraftJson) ?? new CohortPlanDraft();
        PlanResult result = CohortPlanFactory.Create(draft, now);
        if (result.Plan is not { } plan)
        {
            return new PlanPatchResult(null, [], result.Errors, null);
        }

        JsonObject after = Write(plan);
        List<string> changed = Fields.Where(f => !JsonNode.DeepEquals(before[f], after[f])).ToList();
        return new PlanPatchResult(plan, changed, [], changed.FirstOrDefault(Immutable.Contains));
    }

    /// <summary>The plan in the form a client sends it (the draft's JSON, camelCase, durations in ISO 8601).</summary>
    public static JsonObject Write(CohortPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var draft = new CohortPlanDraft
        {
            Id = plan.Id,
            Name = plan.Name,
            UseCase = new UseCaseDraft
            {
                Title = plan.UseCase.Title,
                Problem = plan.UseCase.Problem,
                DataExtract = plan.UseCase.DataExtract,
                SandboxUrl = plan.UseCase.SandboxUrl?.ToString(),
                Tooling = [.. plan.UseCase.Tooling],
                SandboxGroupId = plan.UseCase.SandboxGroupId,
            },
            StartsAt = plan.StartsAt,
            Checkpoints = plan.Checkpoints.Select(IsoDuration.Format).ToList(),
            ReviewPolicy = new ReviewPolicyDraft { Window = IsoDuration.Format(plan.ReviewPolicy.Window), Reminder = IsoDuration.Format(plan.ReviewPolicy.Reminder) },
            Leaders = [.. plan.Leaders],
            ProgramLead = plan.ProgramLead,
            Reviewers = plan.Reviewers.Select(r => new ReviewerDraft { Id = r.Id, Email = r.Email, Tracks = r.Tracks.Select(TrackNames.Name).ToList(), Backup = r.Backup }).ToList(),
            Baseline = plan.Baseline is { } b
                ? new BaselineDraft { AdvisoryHoursPerMonth = b.AdvisoryHoursPerMonth, TimeToProduction = b.TimeToProduction is { } t ? IsoDuration.Format(t) : null, FirstPassRate = b.FirstPassRate }
                : null,
            Tracks = plan.Tracks.Select(TrackNames.Name).ToList(),
            Paths = plan.Paths?.OrderBy(p => p.Key).ToDictionary(
                p => TrackNames.Name(p.Key),
                p => (IReadOnlyList<PathStepDraft?>?)p.Value.Select(s => new PathStepDraft { Kind = KindName(s.Kind), Title = s.Title, Instructions = s.Instructions, Day = s.Day }).ToList()),
            Community = plan.Community is { } community
                ? new CommunityDraft { Kind = community.Kind == Practice.CommunityKind.Teams ? "teams" : "vivaEngage", OwnerId = community.OwnerId }
                : null,
            Segmentation = plan.Segmentation?.Select(CohortSegmentation.Draft).ToList(),
        };
        return JsonSerializer.SerializeToNode(draft, DraftJson)!.AsObject();
    }

    /// <summary>RFC 7396: members of an object patch merge into the target; null removes; anything else replaces.</summary>
    public static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        JsonObject result = target as JsonObject ?? [];
        foreach ((string name, JsonNode? value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                JsonNode? merged = Merge(result[name], value);
                result.Remove(name);
                result[name] = merged;
            }
        }

        return result;
    }

    private static string KindName(StepKind kind) => string.Concat(char.ToLowerInvariant(kind.ToString()[0]).ToString(), kind.ToString()[1..]);
}
