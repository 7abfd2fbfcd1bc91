namespace Cohorts.Domain.Outcomes;

/// <summary>An outcome event as an integrator sent it, every field optional so that each one at fault can be named.</summary>
public sealed record OutcomeEventDraft(
    string? EventId,
    string? Type,
    string? ParticipantId,
    DateTimeOffset? OccurredAt,
    string? Link = null,
    bool? FirstSubmission = null,
    bool? Passed = null,
    int? Findings = null,
    double? Hours = null);

/// <summary>
/// Turns an <see cref="OutcomeEventDraft"/> into an <see cref="OutcomeEvent"/> of a cohort, or names every field at
/// fault (as <see cref="CohortPlanFactory"/> does for plans), so an integrator fixes an event in one round.
/// </summary>
public static class OutcomeEventFactory
{
    /// <summary>How far in the future an event's time may be (clock skew between systems).</summary>
    public static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(5);

    private static readonly (OutcomeType Type, string Name, string[] Fields)[] Types =
    [
        (OutcomeType.ProductionContribution, "productionContribution", ["link"]),
        (OutcomeType.ModelRiskReview, "modelRiskReview", ["firstSubmission", "passed", "findings"]),
        (OutcomeType.AdvisorySupport, "advisorySupport", ["hours"]),
    ];

    /// <summary>The event <paramref name="draft"/> reports in <paramref name="plan"/>'s cohort, received at <paramref name="now"/>; or its errors.</summary>
    public static (OutcomeEvent? Event, IReadOnlyList<PlanError> Errors) Create(OutcomeEventDraft draft, CohortPlan plan, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(plan);
        var errors = new List<PlanError>();
        if (string.IsNullOrWhiteSpace(draft.EventId))
        {
            errors.Add(Missing("eventId"));
        }
        else if (draft.EventId.Length > OutcomeEvent.MaxEventId || draft.EventId.Any(char.IsControl) || draft.EventId != draft.EventId.Trim())
        {
            errors.Add(new PlanError("eventId", "invalidEventId", $"eventId is 1 to {OutcomeEvent.MaxEventId} characters, without control characters or surrounding spaces."));
        }

        // the API's spelling exactly (camelCase)
        (OutcomeType Type, string Name, string[] Fields)? type = Types.FirstOrDefault(t => t.Name == draft.Type) is { Name: not null } known ? known : null;
        if (string.IsNullOrWhiteSpace(draft.Type))
        {
            errors.Add(Missing("type"));
        }
        else if (type is null)
        {
            errors.Add(new PlanError("type", "invalidType", $"'{draft.Type}' is not an outcome type; use {string.Join(", ", Types.Select(t => t.Name))}."));
        }

        if (string.IsNullOrWhiteSpace(draft.ParticipantId))
        {
            errors.Add(Missing("participantId"));
        }

        if (draft.OccurredAt is not { } occurredAt)
        {
            errors.Add(Missing("occurredAt"));
        }
        else if (occurredAt > now + AllowedSkew)
        {
            errors.Add(new PlanError("occurredAt", "occurredInFuture", $"occurredAt {occurredAt:O} is later than now ({now:O})."));
        }
        else if (occurredAt < plan.StartsAt)
        {
            errors.Add(new PlanError("occurredAt", "occurredBeforeStart", $"occurredAt {occurredAt:O} is before the cohort's start ({plan.StartsAt:O}); the baseline in the plan covers the time before."));
        }

        Uri? link = type is { Type: var t } ? CheckTypeFields(draft, t, type.Value, errors) : null;
        return errors.Count > 0
            ? (null, errors)
            : (new OutcomeEvent(draft.EventId!, plan.Id, type!.Value.Type, draft.ParticipantId!, draft.OccurredAt!.Value.ToUniversalTime(), now, link, draft.FirstSubmission, draft.Passed, draft.Findings, draft.Hours), errors);
    }

    /// <summary>The fields of the event's type: present, in range, and none of another type's (a mistake worth naming).</summary>
    private static Uri? CheckTypeFields(OutcomeEventDraft draft, OutcomeType type, (OutcomeType Type, string Name, string[] Fields) spec, List<PlanError> errors)
    {
        (string Field, bool Present)[] fields =
            [("link", draft.Link is not null), ("firstSubmission", draft.FirstSubmission is not null), ("passed", draft.Passed is not null), ("findings", draft.Findings is not null), ("hours", draft.Hours is not null)];
        foreach ((string stray, _) in fields.Where(f => f.Present && !spec.Fields.Contains(f.Field)))
        {
            errors.Add(new PlanError(stray, "fieldNotForType", $"{stray} is not a field of a {spec.Name} event; it takes {string.Join(", ", spec.Fields)}."));
        }

        Uri? link = null;
        switch (type)
        {
            case OutcomeType.ProductionContribution when string.IsNullOrWhiteSpace(draft.Link):
                errors.Add(Missing("link"));
                break;
            case OutcomeType.ProductionContribution when !Uri.TryCreate(draft.Link, UriKind.Absolute, out link) || link.Scheme is not ("https" or "http"):
                errors.Add(new PlanError("link", "invalidLink", "link is an absolute http(s) link to the model or use case in production (its registry entry, release or dashboard)."));
                break;
            case OutcomeType.ModelRiskReview:
                if (draft.FirstSubmission is null)
                {
                    errors.Add(Missing("firstSubmission"));
                }

                if (draft.Passed is null && draft.Findings is null)
                {
                    errors.Add(new PlanError("passed", "missingResult", "A modelRiskReview event says whether it passed, how many findings it raised, or both."));
                }

                if (draft.Findings is < 0)
                {
                    errors.Add(new PlanError("findings", "invalidFindings", "findings counts the review's findings: 0 or more."));
                }

                break;
            case OutcomeType.AdvisorySupport when draft.Hours is null:
                errors.Add(Missing("hours"));
                break;
            case OutcomeType.AdvisorySupport when draft.Hours is <= 0 or > OutcomeEvent.MaxHours || double.IsNaN(draft.Hours!.Value):
                errors.Add(new PlanError("hours", "invalidHours", $"hours is more than 0 and at most {OutcomeEvent.MaxHours}."));
                break;
            default:
                break;
        }

        return link;
    }

    private static PlanError Missing(string field) => new(field, "missingField", $"{field} is required.");
}
