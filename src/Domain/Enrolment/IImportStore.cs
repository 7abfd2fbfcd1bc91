namespace Cohorts.Domain.Enrolment;

/// <summary>Imports: their records, their sources and the changes their diffs found.</summary>
public interface IImportStore
{
    /// <summary>Stores a source as it streams in (counting its bytes and lines), refusing it past <paramref name="maxBytes"/> or <paramref name="maxLines"/>.</summary>
    /// <exception cref="SourceTooLargeException">Over a limit: nothing is kept.</exception>
    Task<(long Bytes, long Lines)> SaveSourceAsync(string cohortId, string importId, Stream content, long maxBytes, long maxLines, CancellationToken cancellationToken);

    /// <summary>Stores records a directory gave (a delta round's rows) as the import's source, replacing any stored before.</summary>
    Task SaveRecordsAsync(string cohortId, string importId, IReadOnlyList<HrRecord> records, CancellationToken cancellationToken);

    /// <summary>Stores a new import record.</summary>
    Task CreateAsync(ImportRecord record, CancellationToken cancellationToken);

    /// <summary>The record, or null.</summary>
    Task<ImportRecord?> GetAsync(string cohortId, string importId, CancellationToken cancellationToken);

    /// <summary>The ids of a cohort's imports, in no particular order.</summary>
    IAsyncEnumerable<string> ListIdsAsync(string cohortId, CancellationToken cancellationToken);

    /// <summary>Deletes the import's stored source (the file or the directory records); its diff and record stay. Returns whether there was one.</summary>
    Task<bool> DeleteSourceAsync(string cohortId, string importId, CancellationToken cancellationToken);

    /// <summary>Applies a change to the record under optimistic concurrency.</summary>
    Task<ImportRecord> UpdateAsync(string cohortId, string importId, Func<ImportRecord, ImportRecord> change, CancellationToken cancellationToken);

    /// <summary>Reads the import's source with its settings, row by row.</summary>
    /// <exception cref="HrSourceException">The source cannot be read as a whole.</exception>
    IAsyncEnumerable<HrRow> ReadSourceAsync(ImportRecord import, CancellationToken cancellationToken);

    /// <summary>Writes the diff's changes (replacing any written before); returns how many.</summary>
    Task<int> WriteChangesAsync(string cohortId, string importId, IAsyncEnumerable<RosterChange> changes, CancellationToken cancellationToken);

    /// <summary>Reads the changes from <paramref name="skip"/>, at most <paramref name="take"/>.</summary>
    IAsyncEnumerable<RosterChange> ReadChangesAsync(string cohortId, string importId, int skip, int take, CancellationToken cancellationToken);
}
