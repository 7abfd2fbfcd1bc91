using System.Globalization;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Cohorts.Connectors.Reports;
using Cohorts.Domain.Outcomes;

namespace Cohorts.Connectors.Blob;

/// <summary>
/// Reports in blob storage, one folder per checkpoint: <c>{cohortId}/{checkpoint:000}/figures.json</c> (the snapshot),
/// then <c>report.html</c>, <c>report.csv</c>, <c>report.json</c>, <c>report.txt</c>, <c>email.html</c> and
/// <c>charts/{id}.png</c>. Every blob is written only if absent, so neither a retried activity nor a later event ever
/// changes a report that may have been sent; <c>email.html</c> is written last and marks the report as rendered.
/// </summary>
public sealed class BlobReportArchive(BlobContainerClient container) : IReportArchive
{
    /// <summary>The container's default name.</summary>
    public const string DefaultContainer = "reports";

    private const string EmailHtml = "email.html";
    private readonly JsonBlobs<OutcomeReport> figures = new(container);
    private readonly JsonBlobs<List<ReportSent>> sent = new(container);

    /// <inheritdoc/>
    public Task<(OutcomeReport Stored, bool Created)> SaveFiguresAsync(OutcomeReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        return figures.CreateAsync(Name(report.CohortId, report.Checkpoint, "figures.json"), report, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<OutcomeReport?> GetFiguresAsync(string cohortId, int checkpoint, CancellationToken cancellationToken) =>
        (await figures.ReadAsync(Name(cohortId, checkpoint, "figures.json"), cancellationToken))?.Value;

    /// <inheritdoc/>
    public async Task RenderAsync(string cohortId, int checkpoint, CancellationToken cancellationToken)
    {
        if (await IsRenderedAsync(cohortId, checkpoint, cancellationToken))
        {
            return;
        }

        OutcomeReport report = await GetFiguresAsync(cohortId, checkpoint, cancellationToken)
            ?? throw new KeyNotFoundException($"Checkpoint {checkpoint} of cohort '{cohortId}' has no figures yet.");
        var earlier = new List<OutcomeReport>();
        for (int ordinal = 1; ordinal < checkpoint; ordinal++)
        {
            if (await GetFiguresAsync(cohortId, ordinal, cancellationToken) is { } previous)
            {
                earlier.Add(previous);
            }
        }

        RenderedReport rendered = ReportRenderer.Render(report, earlier);
        foreach (ReportChart chart in rendered.Charts)
        {
            await CreateAsync(Name(cohortId, checkpoint, $"charts/{chart.Id}.png"), chart.Png, "image/png", cancellationToken);
        }

        await CreateAsync(Name(cohortId, checkpoint, "report.csv"), Encoding.UTF8.GetBytes(rendered.Csv), ContentTypeOf(ReportFormat.Csv), cancellationToken);
        await CreateAsync(Name(cohortId, checkpoint, "report.json"), Encoding.UTF8.GetBytes(rendered.Json), ContentTypeOf(ReportFormat.Json), cancellationToken);
        await CreateAsync(Name(cohortId, checkpoint, "report.txt"), Encoding.UTF8.GetBytes(rendered.Text), "text/plain; charset=utf-8", cancellationToken);
        await CreateAsync(Name(cohortId, checkpoint, "report.html"), Encoding.UTF8.GetBytes(rendered.Html), ContentTypeOf(ReportFormat.Html), cancellationToken);
        await CreateAsync(Name(cohortId, checkpoint, EmailHtml), Encoding.UTF8.GetBytes(rendered.EmailHtml), ContentTypeOf(ReportFormat.Html), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> IsRenderedAsync(string cohortId, int checkpoint, CancellationToken cancellationToken) =>
        ExistsAsync(Name(cohortId, checkpoint, EmailHtml), cancellationToken);

    /// <inheritdoc/>
    public async Task<ReportFile?> GetAsync(string cohortId, int checkpoint, ReportFormat format, CancellationToken cancellationToken)
    {
        if (!await IsRenderedAsync(cohortId, checkpoint, cancellationToken))
        {
            return null;
        }

        string extension = format.ToString().ToLowerInvariant();
        byte[]? content = await ReadAsync(Name(cohortId, checkpoint, "report." + extension), cancellationToken);
        return content is null ? null : new ReportFile(FileName(cohortId, checkpoint, extension), ContentTypeOf(format), content);
    }

    /// <inheritdoc/>
    public async Task RecordSentAsync(string cohortId, int checkpoint, string leader, DateTimeOffset at, CancellationToken cancellationToken)
    {
        string name = Name(cohortId, checkpoint, "sent.json");
        (List<ReportSent> stored, bool created) = await sent.CreateAsync(name, [new ReportSent(leader, at)], cancellationToken);
        if (!created && !stored.Any(s => string.Equals(s.Leader, leader, StringComparison.OrdinalIgnoreCase)))
        {
            await sent.UpdateAsync(
                name,
                list => list.Any(s => string.Equals(s.Leader, leader, StringComparison.OrdinalIgnoreCase)) ? list : [.. list, new ReportSent(leader, at)],
                $"There is no sent list of checkpoint {checkpoint} of '{cohortId}'.",
                cancellationToken);
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ReportSent>> SentAsync(string cohortId, int checkpoint, CancellationToken cancellationToken) =>
        (await sent.ReadAsync(Name(cohortId, checkpoint, "sent.json"), cancellationToken))?.Value ?? [];

    /// <inheritdoc/>
    public async Task<ReportEmailParts> ReadRenderedAsync(string cohortId, int checkpoint, CancellationToken cancellationToken)
    {
        string Missing() => $"The report of checkpoint {checkpoint} of cohort '{cohortId}' is not rendered.";
        byte[] html = await ReadAsync(Name(cohortId, checkpoint, EmailHtml), cancellationToken) ?? throw new KeyNotFoundException(Missing());
        byte[] text = await ReadAsync(Name(cohortId, checkpoint, "report.txt"), cancellationToken) ?? throw new KeyNotFoundException(Missing());
        var charts = new List<ChartImage>();
        await foreach (BlobItem blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, Name(cohortId, checkpoint, "charts/"), cancellationToken))
        {
            charts.Add(new ChartImage(Path.GetFileNameWithoutExtension(blob.Name), await ReadAsync(blob.Name, cancellationToken) ?? throw new KeyNotFoundException(Missing())));
        }

        var files = new List<ReportFile>();
        foreach (ReportFormat format in new[] { ReportFormat.Csv, ReportFormat.Json })
        {
            files.Add(await GetAsync(cohortId, checkpoint, format, cancellationToken) ?? throw new KeyNotFoundException(Missing()));
        }

        return new ReportEmailParts(Encoding.UTF8.GetString(html), Encoding.UTF8.GetString(text), charts, files);
    }

    private static string Name(string cohortId, int checkpoint, string file) =>
        $"{cohortId}/{checkpoint.ToString("000", CultureInfo.InvariantCulture)}/{file}";

    private static string FileName(string cohortId, int checkpoint, string extension) => $"{cohortId}-checkpoint-{checkpoint}.{extension}";

    private static string ContentTypeOf(ReportFormat format) => format switch
    {
        ReportFormat.Html => "text/html; charset=utf-8",
        ReportFormat.Csv => "text/csv; charset=utf-8",
        _ => "application/json; charset=utf-8",
    };

    private async Task<bool> ExistsAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await container.GetBlobClient(name).ExistsAsync(cancellationToken);
        }
        catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            return false;
        }
    }

    private async Task<byte[]?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return (await container.GetBlobClient(name).DownloadContentAsync(cancellationToken)).Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private async Task CreateAsync(string name, byte[] content, string contentType, CancellationToken cancellationToken)
    {
        var options = new BlobUploadOptions
        {
            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
        };
        try
        {
            await container.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(content), options, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // stored by an earlier run: it stands
        }
    }
}
