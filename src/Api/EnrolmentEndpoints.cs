using System.Globalization;
using Cohorts.Connectors.Csv;
using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Cohorts.Domain.Learning;
using Cohorts.Domain.Reviews;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;

namespace Cohorts.Api;

/// <summary>The handlers of the enrolment routes: imports from HR exports, their diffs and applies, and the roster.</summary>
public sealed class EnrolmentEndpoints(ImportService imports, IRosterStore roster, ICohortStore cohorts, ISubmissionStore submissions, ICompletionStore completions, TimeProvider time)
{
    /// <summary><c>POST /api/cohorts/{cohortId}/imports</c>: an HR export as <c>text/csv</c>; 202 with the import to poll.</summary>
    public async Task<IResult> StartImportAsync(HttpRequest request, string cohortId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (EntityIds.Validate(cohortId) is not null)
        {
            return ApiResult.Problem(Problems.CohortNotFound(cohortId));
        }

        string? mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        bool group = mediaType is "application/json";
        if (!group && mediaType is not ("text/csv" or "application/csv" or "text/plain"))
        {
            return ApiResult.Problem(Problems.UnsupportedMediaType("text/csv (an HR export) or application/json ({\"graphGroupId\": …})"));
        }

        (ImportSettings? settings, ApiProblem? invalid) = ReadSettings(request.Query);
        if (settings is null)
        {
            return ApiResult.Problem(invalid!);
        }

        ImportService.StartOutcome outcome;
        ImportRecord? import;
        string? detail;
        if (group)
        {
            (GroupImportRequest? body, ApiProblem? problem) = await RequestBody.ReadJsonAsync<GroupImportRequest>(request, cancellationToken);
            if (body is null)
            {
                return ApiResult.Problem(problem!);
            }

            if (string.IsNullOrWhiteSpace(body.GraphGroupId) || body.GraphGroupId.Length > 128 || body.GraphGroupId.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '-')))
            {
                return ApiResult.Problem(ApiProblem.Of(400, "invalidGroup", "Not a group id", "graphGroupId is the Entra ID group's object id.", "graphGroupId"));
            }

            (outcome, import, detail) = await imports.StartGroupAsync(cohortId, settings with { Source = ImportSources.Graph, GraphGroupId = body.GraphGroupId }, client, cancellationToken);
        }
        else
        {
            (outcome, import, detail) = await imports.StartCsvAsync(cohortId, request.Body, request.ContentLength, settings, client, cancellationToken);
        }

        return outcome switch
        {
            ImportService.StartOutcome.CohortNotFound => ApiResult.Problem(Problems.CohortNotFound(cohortId)),
            ImportService.StartOutcome.CohortClosed => ApiResult.Problem(ApiProblem.Of(409, "cohortClosed", "The cohort is closed", $"Cohort '{cohortId}' is {detail?.ToLowerInvariant()}; it takes no more imports.")),
            ImportService.StartOutcome.TooLarge => ApiResult.Problem(ApiProblem.Of(413, "payloadTooLarge", "The HR export is too large", $"{detail}; nothing was imported.")),
            _ => ApiResult.Json(StatusCodes.Status202Accepted, ImportView.From(import!, null))
                .WithHeader("Location", $"/api/cohorts/{Uri.EscapeDataString(cohortId)}/imports/{import!.ImportId}"),
        };
    }

    /// <summary><c>GET /api/cohorts/{cohortId}/imports/{importId}</c>: state, counts, rejected rows and the diff.</summary>
    public async Task<IResult> GetImportAsync(string cohortId, string importId, CancellationToken cancellationToken)
    {
        ImportRecord? import = EntityIds.Validate(cohortId) is null && EntityIds.Validate(importId) is null
            ? await imports.GetAsync(cohortId, importId, cancellationToken)
            : null;
        if (import is null)
        {
            return ApiResult.Problem(ImportNotFound(importId));
        }

        List<RosterChange>? changes = import.Summary is null ? null : await imports.ChangesAsync(import, ImportView.MaxListed, cancellationToken);
        return ApiResult.Json(StatusCodes.Status200OK, ImportView.From(import, changes));
    }

    /// <summary><c>POST /api/cohorts/{cohortId}/imports/{importId}/apply</c>: 202, or 409 when it is not waiting (or needs force).</summary>
    public async Task<IResult> ApplyImportAsync(HttpRequest request, string cohortId, string importId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!TryBool(request.Query, "force", out bool force))
        {
            return ApiResult.Problem(Problems.InvalidQuery("force", "force is true or false"));
        }

        ImportRecord? import = EntityIds.Validate(cohortId) is null && EntityIds.Validate(importId) is null
            ? await imports.GetAsync(cohortId, importId, cancellationToken)
            : null;
        if (import is null)
        {
            return ApiResult.Problem(ImportNotFound(importId));
        }

        ApiProblem? refused = await imports.ApplyAsync(import, force, client, cancellationToken);
        return refused is null
            ? ApiResult.Json(StatusCodes.Status202Accepted, ImportView.From(import, null))
            : ApiResult.Problem(refused);
    }

    /// <summary><c>GET /api/cohorts/{cohortId}/participants?track=&amp;continuationToken=&amp;pageSize=</c>.</summary>
    public async Task<IResult> ListParticipantsAsync(HttpRequest request, string cohortId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await cohorts.GetAsync(cohortId, cancellationToken) is null)
        {
            return ApiResult.Problem(Problems.CohortNotFound(cohortId));
        }

        string? trackText = request.Query["track"];
        Track? track = null;
        bool triage = string.Equals(trackText, "triage", StringComparison.OrdinalIgnoreCase);
        if (!string.IsNullOrEmpty(trackText) && !triage)
        {
            if (!TrackNames.TryParse(trackText, out Track parsed))
            {
                return ApiResult.Problem(Problems.InvalidQuery("track", $"'{trackText}' is not a track; use {string.Join(", ", TrackNames.All)} or triage"));
            }

            track = parsed;
        }

        int pageSize = 100;
        if (request.Query["pageSize"] is { Count: > 0 } size && (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > 1000))
        {
            return ApiResult.Problem(Problems.InvalidQuery("pageSize", "pageSize is a whole number from 1 to 1000"));
        }

        ParticipantPage page = await roster.ListAsync(cohortId, track, triage, request.Query["continuationToken"], pageSize, cancellationToken);
        return ApiResult.Json(StatusCodes.Status200OK, new ParticipantPageView(page.Items.Select(ParticipantView.From).ToList(), page.ContinuationToken));
    }

    /// <summary><c>GET /api/cohorts/{cohortId}/participants/{participantId}</c>.</summary>
    public async Task<IResult> GetParticipantAsync(string cohortId, string participantId, CancellationToken cancellationToken)
    {
        Participant? participant = await roster.GetAsync(cohortId, participantId, cancellationToken);
        CohortRecord? cohort = participant is null ? null : await cohorts.GetAsync(cohortId, cancellationToken);
        if (participant is null || cohort is null)
        {
            return ApiResult.Problem(ParticipantNotFound(cohortId, participantId));
        }

        IReadOnlyList<Submission> attempts = await submissions.ListForParticipantAsync(cohortId, participant.EmployeeId, cancellationToken);
        IReadOnlyList<StepCompletion> done = await completions.ListForParticipantAsync(cohortId, participant.EmployeeId, cancellationToken);
        return ApiResult.Json(StatusCodes.Status200OK, ParticipantView.From(participant, Assignments.For(cohort.Plan, participant, attempts, done)));
    }

    /// <summary><c>PUT /api/cohorts/{cohortId}/participants/{participantId}/track</c>: place a triaged person or override a track.</summary>
    public async Task<IResult> SetTrackAsync(HttpRequest request, string cohortId, string participantId, CancellationToken cancellationToken)
    {
        (TrackOverrideRequest? body, ApiProblem? problem) = await RequestBody.ReadJsonAsync<TrackOverrideRequest>(request, cancellationToken);
        if (body is null)
        {
            return ApiResult.Problem(problem!);
        }

        CohortRecord? cohort = await cohorts.GetAsync(cohortId, cancellationToken);
        if (cohort is null)
        {
            return ApiResult.Problem(Problems.CohortNotFound(cohortId));
        }

        if (!TrackNames.TryParse(body.Track, out Track track) || !cohort.Plan.Tracks.Contains(track))
        {
            return ApiResult.Problem(ApiProblem.Of(400, "invalidTrack", "Not a track of this cohort",
                $"'{body.Track}' is not one of this cohort's tracks: {string.Join(", ", cohort.Plan.Tracks.Select(TrackNames.Name))}.", "track"));
        }

        Participant? current = await roster.GetAsync(cohortId, participantId, cancellationToken);
        if (current is null)
        {
            return ApiResult.Problem(ParticipantNotFound(cohortId, participantId));
        }

        if (current.Status == ParticipantStatus.Suspended)
        {
            return ApiResult.Problem(ApiProblem.Of(409, "participantSuspended", "The participant is suspended",
                $"'{participantId}' left the source; a later import that lists them again re-activates them.", "participantId"));
        }

        string reason = string.IsNullOrWhiteSpace(body.Reason) ? "placed by an admin" : body.Reason.Trim();
        Participant updated = await roster.OverrideTrackAsync(cohortId, participantId, track, reason, time.GetUtcNow(), cancellationToken);
        return ApiResult.Json(StatusCodes.Status200OK, ParticipantView.From(updated));
    }

    private static (ImportSettings? Settings, ApiProblem? Problem) ReadSettings(IQueryCollection query)
    {
        if (!TryBool(query, "dryRun", out bool dryRun))
        {
            return (null, Problems.InvalidQuery("dryRun", "dryRun is true or false"));
        }

        if (!TryBool(query, "force", out bool force))
        {
            return (null, Problems.InvalidQuery("force", "force is true or false"));
        }

        string? profile = query["profile"];
        if (!string.IsNullOrEmpty(profile) && profile != "auto" && !HrColumnProfiles.ByName.ContainsKey(profile))
        {
            return (null, Problems.InvalidQuery("profile", $"'{profile}' is not a profile; use auto, {string.Join(", ", HrColumnProfiles.ByName.Keys)}"));
        }

        string? columns = query["columns"];
        try
        {
            HrImportOptions.ParseColumns(columns);
        }
        catch (HrSourceException e)
        {
            return (null, Problems.InvalidQuery("columns", e.Reason));
        }

        string? encoding = query["encoding"];
        if (!string.IsNullOrEmpty(encoding) && CsvSource.EncodingNamed(encoding) is null)
        {
            return (null, Problems.InvalidQuery("encoding", $"'{encoding}' is not an encoding this import reads; use utf-8, utf-16, utf-16be or latin1"));
        }

        string? delimiter = query["delimiter"];
        char? delimiterChar = null;
        if (!string.IsNullOrEmpty(delimiter))
        {
            string d = delimiter == "tab" ? "\t" : delimiter;
            if (d.Length != 1)
            {
                return (null, Problems.InvalidQuery("delimiter", "delimiter is one character (or tab)"));
            }

            delimiterChar = d[0];
        }

        double threshold = ImportSettings.DefaultLeaverThreshold;
        if (query["leaverThreshold"] is { Count: > 0 } t && (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out threshold) || threshold is < 0 or > 1))
        {
            return (null, Problems.InvalidQuery("leaverThreshold", "leaverThreshold is a share from 0 to 1"));
        }

        return (new ImportSettings(ImportSources.Csv, string.IsNullOrEmpty(profile) ? null : profile, columns, string.IsNullOrEmpty(encoding) ? null : encoding, delimiterChar, dryRun, force, threshold), null);
    }

    private static bool TryBool(IQueryCollection query, string name, out bool value)
    {
        value = false;
        string? text = query[name];
        return string.IsNullOrEmpty(text) || bool.TryParse(text, out value);
    }

    private static ApiProblem ImportNotFound(string importId) =>
        ApiProblem.Of(404, "importNotFound", "No such import", $"There is no import '{importId}' of this cohort.", "importId");

    private static ApiProblem ParticipantNotFound(string cohortId, string participantId) =>
        ApiProblem.Of(404, "participantNotFound", "No such participant", $"'{participantId}' is not on the roster of cohort '{cohortId}'.", "participantId");
}
