using Cohorts.Application.Outcomes;
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

/// <summary>The outcome routes: each binds the request, calls <see cref="OutcomeService"/> and maps its result.</summary>
public sealed class OutcomeEndpoints(OutcomeService outcomes, TimeProvider time)
{
    /// <summary><c>POST /api/cohorts/{cohortId}/outcomes</c>: 201 with the event; the same event again 200; another event under its id 409.</summary>
    public async Task<IResult> PostAsync(HttpRequest request, string cohortId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        (OutcomeRequest? body, ApiProblem? problem) = await RequestBody.ReadJsonAsync<OutcomeRequest>(request, cancellationToken);
        if (body is null)
        {
            return ApiResult.Problem(problem!);
        }

        var draft = new OutcomeEventDraft(body.EventId, body.Type, body.ParticipantId, body.OccurredAt, body.Link, body.FirstSubmission, body.Passed, body.Findings, body.Hours);
        Result<RecordedOutcome> recorded = await outcomes.RecordAsync(cohortId, draft, time.GetUtcNow(), cancellationToken);
        return recorded.Value is { } done
            ? ApiResult.Json(done.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK, OutcomeView.Of(done.Event))
            : ApiResult.Failure(recorded.Failure!);
    }

    /// <summary><c>GET /api/cohorts/{cohortId}/reports</c>: each checkpoint's state, links to each format once rendered, and when each leader was sent it.</summary>
    public async Task<IResult> ListReportsAsync(string cohortId, CancellationToken cancellationToken)
    {
        Result<IReadOnlyList<CheckpointReport>> listed = await outcomes.ListReportsAsync(cohortId, cancellationToken);
        if (listed.Value is not { } reports)
        {
            return ApiResult.Failure(listed.Failure!);
        }

        string root = $"/api/cohorts/{Uri.EscapeDataString(cohortId)}/reports/";
        return ApiResult.Json(StatusCodes.Status200OK, new ReportListView(reports.Select(r => new ReportSummaryView(
            r.Due.Ordinal,
            r.Final,
            r.Due.DueAt,
            r.Snapshot is null ? CheckpointState.Pending : CheckpointState.Recorded,
            r.Snapshot?.RecordedAt,
            r.Rendered ? new ReportLinks(Link(root, r.Due.Ordinal, "html"), Link(root, r.Due.Ordinal, "csv"), Link(root, r.Due.Ordinal, "json")) : null,
            r.Sent.OrderBy(s => s.SentAt).ToList())).ToList()));
    }

    private static string Link(string root, int ordinal, string format) => $"{root}{ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture)}?format={format}";

    /// <summary><c>GET /api/cohorts/{cohortId}/reports/{checkpoint}?format=html|csv|json</c>: the stored report of a checkpoint (an ordinal or <c>final</c>).</summary>
    public async Task<IResult> GetReportAsync(string cohortId, string checkpoint, string? format, CancellationToken cancellationToken)
    {
        ReportFormat wanted = ReportFormat.Html;
        if (format is not null && !Naming.TryParse(format, out wanted))
        {
            return ApiResult.Problem(Problems.InvalidQuery("format", $"'{format}' is not a report format; use html, csv or json."));
        }

        Result<ReportFile> report = await outcomes.GetReportAsync(cohortId, checkpoint, wanted, cancellationToken);
        return report.Value is not { } file ? ApiResult.Failure(report.Failure!)
            : wanted == ReportFormat.Html ? ApiResult.Raw(StatusCodes.Status200OK, System.Text.Encoding.UTF8.GetString(file.Content), file.ContentType)
            : ApiResult.File(file.Content, file.ContentType, file.FileName);
    }
}

/// <summary>The reports of a cohort, one per checkpoint.</summary>
public sealed record ReportListView(IReadOnlyList<ReportSummaryView> Items);

/// <summary>One checkpoint's report: its state, where to read it once rendered, and who was sent it when.</summary>
public sealed record ReportSummaryView(int Ordinal, bool Final, DateTimeOffset DueAt, CheckpointState Status, DateTimeOffset? RecordedAt, ReportLinks? Links, IReadOnlyList<Cohorts.Domain.Outcomes.ReportSent> Sent);

/// <summary>The report in each format.</summary>
public sealed record ReportLinks(string Html, string Csv, string Json);
