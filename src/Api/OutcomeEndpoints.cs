using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Outcomes;
using Microsoft.AspNetCore.Http;

namespace Cohorts.Api;

/// <summary>An outcome event (<c>POST /api/cohorts/{cohortId}/outcomes</c>); which fields apply depends on <see cref="Type"/>.</summary>
public sealed record OutcomeRequest(
    string? EventId,
    string? Type,
    string? ParticipantId,
    DateTimeOffset? OccurredAt,
    string? Link,
    bool? FirstSubmission,
    bool? Passed,
    int? Findings,
    double? Hours);

/// <summary>An outcome event as the API shows it.</summary>
public sealed record OutcomeView(
    string EventId, OutcomeType Type, string ParticipantId, DateTimeOffset OccurredAt, DateTimeOffset ReceivedAt, Uri? Link, bool? FirstSubmission, bool? Passed, int? Findings, double? Hours)
{
    /// <summary>The view of <paramref name="e"/>.</summary>
    public static OutcomeView Of(OutcomeEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(e.EventId, e.Type, e.ParticipantId, e.OccurredAt, e.ReceivedAt, e.Link, e.FirstSubmission, e.Passed, e.Findings, e.Hours);
    }
}

/// <summary>
/// The outcome routes: integrators report what trained people ship (validated field by field; idempotent by event id),
/// and leaders read a checkpoint's stored report in HTML, CSV or JSON.
/// </summary>
public sealed class OutcomeEndpoints(ICohortStore cohorts, IRosterStore roster, IOutcomeStore outcomes, IReportArchive reports, TimeProvider time)
{
    /// <summary>How far in the future an event's time may be (clock skew between systems).</summary>
    public static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(5);

    /// <summary><c>POST /api/cohorts/{cohortId}/outcomes</c>: 201 with the event; the same event again 200; another event under its id 409.</summary>
    public async Task<IResult> PostAsync(HttpRequest request, string cohortId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        (OutcomeRequest? body, ApiProblem? problem) = await RequestBody.ReadJsonAsync<OutcomeRequest>(request, cancellationToken);
        if (body is null)
        {
            return ApiResult.Problem(problem!);
        }

        CohortRecord? cohort = EntityIds.Validate(cohortId) is null ? await cohorts.GetAsync(cohortId, cancellationToken) : null;
        if (cohort is null)
        {
            return ApiResult.Problem(Problems.CohortNotFound(cohortId));
        }

        DateTimeOffset now = time.GetUtcNow();
        (OutcomeEvent? outcome, ApiProblem? invalid) = Validate(body, cohort.Plan, now);
        if (outcome is null)
        {
            return ApiResult.Problem(invalid!);
        }

        if (await roster.GetAsync(cohortId, outcome.ParticipantId, cancellationToken) is null)
        {
            return ApiResult.Problem(ApiProblem.Of(404, "participantNotFound", "No such participant",
                $"Nobody with id '{outcome.ParticipantId}' is on the roster of cohort '{cohortId}'.", "participantId"));
        }

        (OutcomeEvent stored, bool created) = await outcomes.AddAsync(outcome, cancellationToken);
        if (!created && !stored.SameAs(outcome))
        {
            return ApiResult.Problem(ApiProblem.Of(409, "eventIdTaken", "Another event has this id",
                $"Event '{outcome.EventId}' was reported before with different content; an event id names one event.", "eventId"));
        }

        return ApiResult.Json(created ? StatusCodes.Status201Created : StatusCodes.Status200OK, OutcomeView.Of(stored));
    }

    /// <summary><c>GET /api/cohorts/{cohortId}/reports/{checkpoint}?format=html|csv|json</c>: the stored report of a checkpoint (an ordinal or <c>final</c>).</summary>
    public async Task<IResult> GetReportAsync(string cohortId, string checkpoint, string? format, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ReportFormat wanted = ReportFormat.Html;
        if (format is not null && !Naming.TryParse(format, out wanted))
        {
            return ApiResult.Problem(Problems.InvalidQuery("format", $"'{format}' is not a report format; use html, csv or json."));
        }

        CohortRecord? cohort = EntityIds.Validate(cohortId) is null ? await cohorts.GetAsync(cohortId, cancellationToken) : null;
        if (cohort is null)
        {
            return ApiResult.Problem(Problems.CohortNotFound(cohortId));
        }

        int count = cohort.Plan.Checkpoints.Count;
        int ordinal = string.Equals(checkpoint, "final", StringComparison.OrdinalIgnoreCase) ? count
            : int.TryParse(checkpoint, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) ? n : 0;
        if (ordinal < 1 || ordinal > count)
        {
            return ApiResult.Problem(ApiProblem.Of(404, "unknownCheckpoint", "No such checkpoint",
                $"'{checkpoint}' is not a checkpoint of cohort '{cohortId}': use 1 to {count} or final.", "checkpoint"));
        }

        ReportFile? file = await reports.GetAsync(cohortId, ordinal, wanted, cancellationToken);
        if (file is null)
        {
            return ApiResult.Problem(ApiProblem.Of(404, "reportNotReady", "The report is not ready",
                $"Checkpoint {ordinal} of cohort '{cohortId}' is due at {cohort.Plan.Schedule()[ordinal - 1].DueAt:O}; its report is served once it is rendered.", "checkpoint"));
        }

        return wanted == ReportFormat.Html
            ? ApiResult.Raw(StatusCodes.Status200OK, System.Text.Encoding.UTF8.GetString(file.Content), file.ContentType)
            : ApiResult.File(file.Content, file.ContentType, file.FileName);
    }

    private static (OutcomeEvent? Event, ApiProblem? Problem) Validate(OutcomeRequest body, CohortPlan plan, DateTimeOffset now)
    {
        static (OutcomeEvent?, ApiProblem?) Bad(string code, string title, string detail, string field) => (null, ApiProblem.Of(400, code, title, detail, field));

        if (string.IsNullOrWhiteSpace(body.EventId))
        {
            return (null, Problems.MissingField("eventId"));
        }

        if (body.EventId.Length > OutcomeEvent.MaxEventId || body.EventId.Any(char.IsControl) || body.EventId != body.EventId.Trim())
        {
            return Bad("invalidEventId", "Not a usable event id", $"eventId is 1 to {OutcomeEvent.MaxEventId} characters, without control characters or surrounding spaces.", "eventId");
        }

        if (string.IsNullOrWhiteSpace(body.Type))
        {
            return (null, Problems.MissingField("type"));
        }

        // the API's spelling exactly (camelCase)
        OutcomeType type = Enum.GetValues<OutcomeType>().FirstOrDefault(t => Naming.Camel(t) == body.Type);
        if (Naming.Camel(type) != body.Type)
        {
            return Bad("invalidType", "Not an outcome type", $"'{body.Type}' is not an outcome type; use productionContribution, modelRiskReview or advisorySupport.", "type");
        }

        if (string.IsNullOrWhiteSpace(body.ParticipantId))
        {
            return (null, Problems.MissingField("participantId"));
        }

        if (body.OccurredAt is not { } occurredAt)
        {
            return (null, Problems.MissingField("occurredAt"));
        }

        if (occurredAt > now + AllowedSkew)
        {
            return Bad("occurredInFuture", "The event is in the future", $"occurredAt {occurredAt:O} is later than now ({now:O}).", "occurredAt");
        }

        if (occurredAt < plan.StartsAt)
        {
            return Bad("occurredBeforeStart", "The event is before the cohort started",
                $"occurredAt {occurredAt:O} is before the cohort's start ({plan.StartsAt:O}); the baseline in the plan covers the time before.", "occurredAt");
        }

        // a field of another type is a mistake worth naming, not something to ignore
        (string Field, bool Present)[] fields =
            [("link", body.Link is not null), ("firstSubmission", body.FirstSubmission is not null), ("passed", body.Passed is not null), ("findings", body.Findings is not null), ("hours", body.Hours is not null)];
        string[] allowed = type switch
        {
            OutcomeType.ProductionContribution => ["link"],
            OutcomeType.ModelRiskReview => ["firstSubmission", "passed", "findings"],
            _ => ["hours"],
        };
        if (fields.FirstOrDefault(f => f.Present && !allowed.Contains(f.Field)) is { Field: { } stray })
        {
            return Bad("fieldNotForType", "A field does not belong to this type", $"{stray} is not a field of a {body.Type} event; it takes {string.Join(", ", allowed)}.", stray);
        }

        Uri? link = null;
        switch (type)
        {
            case OutcomeType.ProductionContribution:
                if (string.IsNullOrWhiteSpace(body.Link))
                {
                    return (null, Problems.MissingField("link"));
                }

                if (!Uri.TryCreate(body.Link, UriKind.Absolute, out link) || link.Scheme is not ("https" or "http"))
                {
                    return Bad("invalidLink", "Not a link", "link is an absolute http(s) link to the model or use case in production (its registry entry, release or dashboard).", "link");
                }

                break;
            case OutcomeType.ModelRiskReview:
                if (body.FirstSubmission is null)
                {
                    return (null, Problems.MissingField("firstSubmission"));
                }

                if (body.Passed is null && body.Findings is null)
                {
                    return Bad("missingResult", "The review's result is missing", "A modelRiskReview event says whether it passed, how many findings it raised, or both.", "passed");
                }

                if (body.Findings is < 0)
                {
                    return Bad("invalidFindings", "Findings cannot be negative", "findings counts the review's findings: 0 or more.", "findings");
                }

                break;
            default:
                if (body.Hours is not { } hours)
                {
                    return (null, Problems.MissingField("hours"));
                }

                if (hours <= 0 || hours > OutcomeEvent.MaxHours)
                {
                    return Bad("invalidHours", "Hours out of range", $"hours is more than 0 and at most {OutcomeEvent.MaxHours}.", "hours");
                }

                break;
        }

        return (new OutcomeEvent(body.EventId, plan.Id, type, body.ParticipantId, occurredAt.ToUniversalTime(), now, link, body.FirstSubmission, body.Passed, body.Findings, body.Hours), null);
    }
}
