using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Cohorts.Connectors.Csv;
using Cohorts.Connectors.Json;
using Cohorts.Domain.Access;
using Cohorts.Domain.Enrolment;

namespace Cohorts.Connectors.Blob;

/// <summary>
/// Imports in blobs: <c>{cohortId}/{importId}/source.csv</c> as uploaded, <c>import.json</c> (the record, ETag
/// concurrency), <c>changes.ndjson</c> (the diff, one change per line, written as it is computed, gzip-compressed) and
/// <c>changes.index</c> (where every hundredth line of the diff starts).
/// </summary>
public sealed class BlobImportStore(BlobContainerClient container) : IImportStore, IPersonalDataHolder
{
    /// <inheritdoc/>
    public string Kind => "imports";

    /// <summary>
    /// For each of the cohort's imports: the stored source is deleted when it holds a row of the person's (by employee
    /// id, or naming one of their addresses), their changes in the change log are rewritten under the pseudonym without
    /// their HR record, and the summary's duplicate ids and rejection reasons lose them. Returns the imports changed.
    /// </summary>
    public async Task<int> EraseAsync(PersonToErase person, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(person);
        int changed = 0;
        await foreach (string importId in ListIdsAsync(person.CohortId, cancellationToken))
        {
            if (await GetAsync(person.CohortId, importId, cancellationToken) is not { } import)
            {
                continue;
            }

            bool touched = import.State != ImportState.Reading && await SourceHoldsAsync(import, person, cancellationToken);
            if (touched)
            {
                await DeleteSourceAsync(person.CohortId, importId, cancellationToken);
            }

            List<RosterChange> changes = await ReadChangesAsync(person.CohortId, importId, 0, int.MaxValue, cancellationToken).ToListAsync(cancellationToken);
            if (changes.Any(c => c.EmployeeId == person.EmployeeId))
            {
                await WriteChangesAsync(person.CohortId, importId, changes.Select(c => c.EmployeeId == person.EmployeeId
                    ? c with { EmployeeId = person.Pseudonym, Hr = null, Reason = "erased" }
                    : c).ToAsyncEnumerable(), cancellationToken);
                touched = true;
            }

            if (import.Summary is { } summary && Mentions(summary, person))
            {
                await UpdateAsync(person.CohortId, importId, r => r with
                {
                    Summary = r.Summary! with
                    {
                        DuplicateIds = r.Summary.DuplicateIds.Select(id => id == person.EmployeeId ? person.Pseudonym : id).ToList(),
                        Rejected = r.Summary.Rejected.Select(x => Names(x.Reason, person) ? x with { Reason = "erased" } : x).ToList(),
                    },
                }, cancellationToken);
                touched = true;
            }

            changed += touched ? 1 : 0;
        }

        return changed;
    }

    /// <inheritdoc/>
    public async Task<bool> DeleteSourceAsync(string cohortId, string importId, CancellationToken cancellationToken)
    {
        bool file = await container.GetBlobClient(Name(cohortId, importId, "source.csv")).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        bool records = await container.GetBlobClient(Name(cohortId, importId, RecordsFile)).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        return file || records;
    }

    private static bool Mentions(DiffSummary summary, PersonToErase person) =>
        summary.DuplicateIds.Contains(person.EmployeeId) || summary.Rejected.Any(r => Names(r.Reason, person));

    private static bool Names(string text, PersonToErase person) =>
        text.Contains(person.EmployeeId, StringComparison.Ordinal) || person.Identifiers.Any(i => text.Contains(i, StringComparison.OrdinalIgnoreCase));

    private async Task<bool> SourceHoldsAsync(ImportRecord import, PersonToErase person, CancellationToken cancellationToken)
    {
        string file = import.Settings.Source == ImportSources.GraphDelta ? RecordsFile : "source.csv";
        if (!await container.GetBlobClient(Name(import.CohortId, import.ImportId, file)).ExistsAsync(cancellationToken))
        {
            return false;
        }

        await foreach (HrRow row in ReadSourceAsync(import, cancellationToken))
        {
            if (row.Record?.EmployeeId == person.EmployeeId || (row.Rejected is { } rejected && Names(rejected.Reason, person)))
            {
                return true;
            }
        }

        // a row that could not be read as a record may still name them
        await using Stream raw = await container.GetBlobClient(Name(import.CohortId, import.ImportId, file)).OpenReadAsync(cancellationToken: cancellationToken);
        using var reader = new StreamReader(raw, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (person.Identifiers.Any(i => line.Contains(i, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The container name used by default.</summary>
    public const string DefaultContainer = "imports";

    private const string RecordsFile = "source.ndjson";
    private const string ChangesFile = "changes.ndjson";
    private const string ChangesIndexFile = "changes.index";

    private readonly JsonBlobs<ImportRecord> records = new(container);

    /// <inheritdoc/>
    public async Task<(long Bytes, long Lines)> SaveSourceAsync(string cohortId, string importId, Stream content, long maxBytes, long maxLines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        BlobClient blob = container.GetBlobClient(Name(cohortId, importId, "source.csv"));
        long bytes = 0;
        long lines = 0;
        string? refusal = null;
        try
        {
            await using Stream target = await blob.OpenWriteAsync(overwrite: true, new BlobOpenWriteOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "text/csv" } }, cancellationToken);
            byte[] buffer = new byte[81920];
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                bytes += read;
                lines += buffer.AsSpan(0, read).Count((byte)'\n');
                if (bytes > maxBytes)
                {
                    refusal = $"the file is larger than {maxBytes} bytes";
                    break;
                }

                if (lines > maxLines)
                {
                    refusal = $"the file has more than {maxLines} lines";
                    break;
                }

                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        catch (Exception)
        {
            // a body cut off (the client went away, the server's own limit, a cancelled request) leaves no part of
            // itself: closing the write stream committed what it had, so that is deleted whatever the request's state
            await blob.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            throw;
        }

        if (refusal is not null)
        {
            await blob.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            throw new SourceTooLargeException(refusal);
        }

        return (bytes, lines);
    }

    /// <inheritdoc/>
    public async Task SaveRecordsAsync(string cohortId, string importId, IReadOnlyList<HrRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var lines = new StringBuilder();
        foreach (HrRecord record in records)
        {
            lines.Append(JsonSerializer.Serialize(record, CohortsJson.Options)).Append('\n');
        }

        await container.GetBlobClient(Name(cohortId, importId, RecordsFile)).UploadAsync(BinaryData.FromString(lines.ToString()), overwrite: true, cancellationToken);
    }

    /// <inheritdoc/>
    public Task CreateAsync(ImportRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return records.CreateAsync(Name(record.CohortId, record.ImportId, "import.json"), record, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<ImportRecord?> GetAsync(string cohortId, string importId, CancellationToken cancellationToken) =>
        (await records.ReadAsync(Name(cohortId, importId, "import.json"), cancellationToken))?.Value;

    /// <inheritdoc/>
    public async IAsyncEnumerable<string> ListIdsAsync(string cohortId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!await container.ExistsAsync(cancellationToken))
        {
            yield break; // nothing was ever imported here (the container is made by the first import)
        }

        await foreach (BlobHierarchyItem item in container.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", cohortId + "/", cancellationToken))
        {
            if (item.IsPrefix)
            {
                yield return item.Prefix[(cohortId.Length + 1)..].TrimEnd('/');
            }
        }
    }

    /// <inheritdoc/>
    public Task<ImportRecord> UpdateAsync(string cohortId, string importId, Func<ImportRecord, ImportRecord> change, CancellationToken cancellationToken) =>
        records.UpdateAsync(Name(cohortId, importId, "import.json"), change, $"There is no import '{importId}' of cohort '{cohortId}'.", cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<HrRow> ReadSourceAsync(ImportRecord import, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(import);
        if (import.Settings.Source == ImportSources.GraphDelta)
        {
            return ReadRecordsAsync(import, cancellationToken);
        }

        var options = new HrImportOptions
        {
            Profile = import.Settings.Profile,
            Columns = HrImportOptions.ParseColumns(import.Settings.Columns),
            Csv = new CsvReadOptions { Encoding = import.Settings.Encoding, Delimiter = import.Settings.Delimiter },
            Today = DateOnly.FromDateTime(import.CreatedAt.UtcDateTime),
        };
        BlobClient source = container.GetBlobClient(Name(import.CohortId, import.ImportId, "source.csv"));

        // the reader's rows straight through (no iterator of its own here: a step per row costs), the blob opened at the
        // first row and closed after the last
        return HrCsvReader.ReadAsync(async token => await source.OpenReadAsync(cancellationToken: token), options, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The log is compressed, each <see cref="ChangeLog.IndexStride"/> lines a gzip member. Beside it,
    /// <c>changes.index</c> holds the log's ETag and the byte offset of every member, so that each apply call reads its
    /// own batches and not the log before them (which made a 100k-person import read its log some four hundred times over).
    /// </remarks>
    public async Task<int> WriteChangesAsync(string cohortId, string importId, IAsyncEnumerable<RosterChange> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        BlobClient blob = container.GetBlobClient(Name(cohortId, importId, ChangesFile));
        var offsets = new List<long>();
        int written;
        await using (Stream target = await blob.OpenWriteAsync(overwrite: true, cancellationToken: cancellationToken))
        {
            written = await ChangeLog.WriteCompressedAsync(target, changes, offsets, cancellationToken);
        }

        // the index names the log it was made for: a log rewritten after it (an erasure) is read from its start
        ETag logTag = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ETag;
        await container.GetBlobClient(Name(cohortId, importId, ChangesIndexFile))
            .UploadAsync(BinaryData.FromString(logTag + "\n" + string.Join('\n', offsets.Select(o => o.ToString(CultureInfo.InvariantCulture)))), overwrite: true, cancellationToken);
        return written;
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<RosterChange> ReadChangesAsync(string cohortId, string importId, int skip, int take, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        BlobClient blob = container.GetBlobClient(Name(cohortId, importId, ChangesFile));
        (Stream? source, int line) = await OpenWindowAsync(cohortId, importId, blob, skip, take, cancellationToken);
        if (source is null)
        {
            yield break;
        }

        // a log written before logs were compressed is read as it is
        await using (Stream lines = await ChangeLog.TextOfAsync(source, cancellationToken))
        {
            using var reader = new StreamReader(lines, Encoding.UTF8);
            int taken = 0;
            while (taken < take && await reader.ReadLineAsync(cancellationToken) is { } text)
            {
                if (line++ < skip || text.Length == 0)
                {
                    continue;
                }

                taken++;
                yield return JsonSerializer.Deserialize<RosterChange>(text, CohortsJson.Options)!;
            }
        }
    }

    /// <summary>
    /// The log's bytes that hold lines <paramref name="skip"/> to <paramref name="skip"/> + <paramref name="take"/>, and
    /// the number of the first line they start with: by the index, from the indexed line at or before the first to the
    /// one after the last, in one ranged read under the ETag the index was made for; without a current index, the
    /// whole log. Null when there is no log.
    /// </summary>
    private async Task<(Stream? Source, int Line)> OpenWindowAsync(string cohortId, string importId, BlobClient blob, int skip, int take, CancellationToken cancellationToken)
    {
        if (await IndexAsync(cohortId, importId, cancellationToken) is ({ } made, { Length: > 0 } offsets))
        {
            int first = Math.Min(skip / ChangeLog.IndexStride, offsets.Length - 1);
            long after = ((long)skip + take + ChangeLog.IndexStride - 1) / ChangeLog.IndexStride;
            long start = offsets[first];
            long? length = after < offsets.Length ? offsets[after] - start : null;
            if (length == 0)
            {
                return (Stream.Null, first * ChangeLog.IndexStride);
            }

            try
            {
                BlobDownloadStreamingResult window = (await blob.DownloadStreamingAsync(
                    new BlobDownloadOptions { Range = new HttpRange(start, length), Conditions = new BlobRequestConditions { IfMatch = made } }, cancellationToken)).Value;
                return (window.Content, first * ChangeLog.IndexStride);
            }
            catch (RequestFailedException e) when (e.Status is 412 or 404 or 416)
            {
                // rewritten since the index was made (an erasure), or gone: read as it is now
            }
        }

        if (await PropertiesAsync(blob, cancellationToken) is not { } log)
        {
            return (null, 0);
        }

        return (await blob.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false) { Conditions = new BlobRequestConditions { IfMatch = log.ETag } }, cancellationToken), 0);
    }

    /// <summary>The ETag of the log the index was made for and the byte offset of every indexed line; nulls without an index.</summary>
    private async Task<(ETag? Log, long[]? Offsets)> IndexAsync(string cohortId, string importId, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = (await container.GetBlobClient(Name(cohortId, importId, ChangesIndexFile)).DownloadContentAsync(cancellationToken)).Value.Content.ToString();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return (null, null); // a log written before logs had an index
        }

        string[] lines = text.Split('\n');
        var offsets = new long[lines.Length - 1];
        for (int i = 1; i < lines.Length; i++)
        {
            if (!long.TryParse(lines[i], NumberStyles.None, CultureInfo.InvariantCulture, out offsets[i - 1]))
            {
                return (null, null); // not an index of this store's making: the log is read whole
            }
        }

        return (new ETag(lines[0]), offsets);
    }

    private static async Task<BlobProperties?> PropertiesAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            return (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private async IAsyncEnumerable<HrRow> ReadRecordsAsync(ImportRecord import, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        BinaryData content = (await container.GetBlobClient(Name(import.CohortId, import.ImportId, RecordsFile)).DownloadContentAsync(cancellationToken)).Value.Content;
        using var reader = new StringReader(content.ToString());
        int row = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { Length: > 0 } line)
        {
            row++;
            yield return new HrRow(row, JsonSerializer.Deserialize<HrRecord>(line, CohortsJson.Options), null);
        }
    }

    private static string Name(string cohortId, string importId, string file) => $"{cohortId}/{importId}/{file}";
}
