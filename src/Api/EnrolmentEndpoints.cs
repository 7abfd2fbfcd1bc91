using System.Globalization;
using Cohorts.Application.Enrolment;
using Cohorts.Connectors.Csv;
using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;

namespace Cohorts.Api;

/// <summary>The handlers of the enrolment routes: imports from HR exports, their diffs and applies, and the roster.</summary>
public sealed class EnrolmentEndpoints(ImportService imports, RosterService roster, TimeProvider time)
{
    /// <summary><c>POST /api/cohorts/{cohortId}/imports</c>: an HR export as <c>text/csv</c>; 202 with the import to poll.</summary>
    public async Task<IResult> StartImportAsync(HttpRequest request, string cohortId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (EntityIds.Validate(cohortId) is not null)
        {
            return ApiResult.Failure(Failure.CohortNotFound(cohortId));
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

        Result<ImportRecord> started;
        if (group)
        {
            (GroupImportRequest? body, ApiProblem? problem) = await RequestBody.ReadJsonAsync<GroupImportRequest>(request, cancellationToken);
            if (body is null)
            {
                return ApiResult.Problem(problem!);
            }

            if (string.IsNullOrWhiteSpace(body.GraphGroupId) || body.GraphGroupId.Length > 128 || body.GraphGroupId.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '-')))
            {
                return ApiResult.Problem(ApiProblem.Of(400, ErrorCodes.InvalidGroup, "Not a group id", "graphGroupId is the Entra ID group's object id.", "graphGroupId"));
            }

            started = await imports.StartGroupAsync(cohortId, settings with { Source = ImportSources.Graph, GraphGroupId = body.GraphGroupId }, client, cancellationToken);
        }
        else
        {
            started = await imports.StartCsvAsync(cohortId, request.Body, request.ContentLength, settings, client, cancellationToken);
        }

        return started.Value is { } import
            ? ApiResult.Json(StatusCodes.Status202Accepted, ImportView.From(import, null)).WithHeader("Location", $"/api/cohorts/{Uri.EscapeDataString(cohortId)}/imports/{import.ImportId}")
            : ApiResult.Failure(started.Failure!);
    }

    /// <summary><c>GET /api/cohorts/{cohortId}/imports</c>: the cohort's imports, newest first, each with its state and counts.</summary>
    public async Task<IResult> ListImportsAsync(HttpRequest request, string cohortId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        (int pageSize, string? token, ApiProblem? badPage) = Paging.Read(request.Query, standard: 20, most: 100);
        if (badPage is not null)
        {
            return ApiResult.Problem(badPage);
        }

        var listed = await imports.ListAsync(cohortId, pageSize, token, cancellationToken);
        return listed.Value is var (items, next) && listed.Succeeded
            ? ApiResult.Json(StatusCodes.Status200OK, new ImportPageView(items.Select(ImportSummaryView.From).ToList(), next))
            : ApiResult.Failure(listed.Failure!);
    }

    /// <summary>
    /// <c>GET /api/cohorts/{cohortId}/imports/{importId}</c>: state, counts, rejected rows and the diff; with
    /// <c>?diff=false</c>, without the diff, which is read from the change log (up to <see cref="ImportView.MaxListed"/>
    /// changes, megabytes for a large export): what a caller polling for the state asks for.
    /// </summary>
    public async Task<IResult> GetImportAsync(HttpRequest request, string cohortId, string importId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!TryBool(request.Query, "diff", out bool withDiff, defaultValue: true))
        {
            return ApiResult.Problem(Problems.InvalidQuery("diff", "diff is true or false"));
        }

        Result<ImportRecord> found = await imports.GetAsync(cohortId, importId, cancellationToken);
        if (found.Value is not { } import)
        {
            return ApiResult.Failure(found.Failure!);
        }

        List<RosterChange>? changes = import.Summary is null || !withDiff ? null : await imports.ChangesAsync(import, ImportView.MaxListed, cancellationToken);
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

        Result<ImportRecord> applied = await imports.ApplyAsync(cohortId, importId, force, client, cancellationToken);
        return applied.Value is { } import
            ? ApiResult.Json(StatusCodes.Status202Accepted, ImportView.From(import, null))
            : ApiResult.Failure(applied.Failure!);
    }

    /// <summary><c>GET /api/cohorts/{cohortId}/participants?track=&amp;continuationToken=&amp;pageSize=</c>.</summary>
    public async Task<IResult> ListParticipantsAsync(HttpRequest request, string cohortId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
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

        (int pageSize, string? token, ApiProblem? badPage) = Paging.Read(request.Query, standard: 100, most: 1000);
        if (badPage is not null)
        {
            return ApiResult.Problem(badPage);
        }

        Result<ParticipantPage> page = await roster.ListAsync(cohortId, new RosterQuery(track, triage, pageSize, token, GroupOf(request)), cancellationToken);
        return page.Value is { } found
            ? ApiResult.Json(StatusCodes.Status200OK, new ParticipantPageView(found.Items.Select(ParticipantView.From).ToList(), found.ContinuationToken))
            : ApiResult.Failure(page.Failure!);
    }

    /// <summary><c>GET /api/cohorts/{cohortId}/participants/{participantId}</c>.</summary>
    public async Task<IResult> GetParticipantAsync(HttpRequest request, string cohortId, string participantId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        bool personal = ApiRoles.CallerOf(request.HttpContext.User).SeesPersonalData;
        Result<ParticipantDetail> found = await roster.GetAsync(cohortId, participantId, cancellationToken);
        return found.Value is { } detail
            ? ApiResult.Json(StatusCodes.Status200OK, personal
                ? ParticipantView.From(detail.Participant, detail.Assignments)
                : ParticipantView.WithoutPersonalData(detail.Participant, detail.Assignments))
            : ApiResult.Failure(found.Failure!);
    }

    /// <summary><c>PUT /api/cohorts/{cohortId}/participants/{participantId}/track</c>: place a triaged person or override a track.</summary>
    public async Task<IResult> SetTrackAsync(HttpRequest request, string cohortId, string participantId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        (TrackOverrideRequest? body, ApiProblem? problem) = await RequestBody.ReadJsonAsync<TrackOverrideRequest>(request, cancellationToken);
        if (body is null)
        {
            return ApiResult.Problem(problem!);
        }

        string by = ApiRoles.CallerOf(request.HttpContext.User).ActingRole(ApiRoutes.SetParticipantTrack.Roles);
        Result<Participant> placed = await roster.SetTrackAsync(cohortId, participantId, body.Track, body.Reason, by, time.GetUtcNow(), cancellationToken);
        return placed.Value is { } participant
            ? ApiResult.Json(StatusCodes.Status200OK, ParticipantView.From(participant))
            : ApiResult.Failure(placed.Failure!);
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
        if (query["leaverThreshold"] is { Count: > 0 } t && (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out threshold) || !(threshold >= 0 && threshold <= 1)))
        {
            return (null, Problems.InvalidQuery("leaverThreshold", "leaverThreshold is a share from 0 to 1"));
        }

        if (!TryBool(query, "match", out bool match))
        {
            return (null, Problems.InvalidQuery("match", "match is true or false"));
        }

        ParticipantGroup group = GroupOf(query);
        if (match && group != ParticipantGroup.Comparison)
        {
            return (null, Problems.InvalidQuery("match", "match=true picks a comparison group from a candidate pool; it needs group=comparison"));
        }

        return (new ImportSettings(ImportSources.Csv, string.IsNullOrEmpty(profile) ? null : profile, columns, string.IsNullOrEmpty(encoding) ? null : encoding, delimiterChar, dryRun, force, threshold)
        {
            Group = group,
            Match = match,
        }, null);
    }

    /// <summary>The <c>group</c> query parameter (its values were checked against the document): trained unless it says comparison.</summary>
    private static ParticipantGroup GroupOf(HttpRequest request) => GroupOf(request.Query);

    private static ParticipantGroup GroupOf(IQueryCollection query) =>
        string.Equals(query["group"], "comparison", StringComparison.OrdinalIgnoreCase) ? ParticipantGroup.Comparison : ParticipantGroup.Trained;

    private static bool TryBool(IQueryCollection query, string name, out bool value, bool defaultValue = false)
    {
        value = defaultValue;
        string? text = query[name];
        return string.IsNullOrEmpty(text) || bool.TryParse(text, out value);
    }
}
