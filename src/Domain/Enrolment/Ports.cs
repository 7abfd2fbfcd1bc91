namespace Cohorts.Domain.Enrolment;

/// <summary>A problem with an HR source as a whole (no header, no employee id column…): nothing of it is imported.</summary>
public sealed class HrSourceException(string field, string reason) : Exception($"{field}: {reason}")
{
    /// <summary>What is at fault.</summary>
    public string Field { get; } = field;

    /// <summary>Why.</summary>
    public string Reason { get; } = reason;
}

/// <summary>A source over the size or row limit; nothing of it was kept.</summary>
public sealed class SourceTooLargeException(string reason) : Exception(reason);

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

/// <summary>People in a directory (Entra ID through Microsoft Graph).</summary>
public interface IHrDirectory
{
    /// <summary>Every user in the group, through nested groups.</summary>
    /// <exception cref="HrSourceException">The directory cannot be read (not configured, no such group, no permission).</exception>
    IAsyncEnumerable<HrRow> GroupMembersAsync(string groupId, CancellationToken cancellationToken);

    /// <summary>One round of the users delta from <paramref name="deltaLink"/> (null: from nothing; an expired link starts over).</summary>
    /// <exception cref="HrSourceException">The directory cannot be read.</exception>
    Task<DirectoryDelta> DeltaAsync(string? deltaLink, CancellationToken cancellationToken);
}

/// <summary>The directory of a host where Microsoft Graph is not configured: says so, naming the settings.</summary>
public sealed class UnconfiguredDirectory : IHrDirectory
{
    /// <inheritdoc/>
    public IAsyncEnumerable<HrRow> GroupMembersAsync(string groupId, CancellationToken cancellationToken) => throw NotConfigured();

    /// <inheritdoc/>
    public Task<DirectoryDelta> DeltaAsync(string? deltaLink, CancellationToken cancellationToken) => throw NotConfigured();

    private static HrSourceException NotConfigured() =>
        new("graphGroupId", "Microsoft Graph is not configured on this host: set Graph:ManagedIdentityClientId (in Azure) or Graph:BaseUrl.");
}

/// <summary>A page of participants and the token for the next one.</summary>
public sealed record ParticipantPage(IReadOnlyList<Participant> Items, string? ContinuationToken);

/// <summary>Head counts of a roster.</summary>
public sealed record RosterCounts(int Active, int Suspended, IReadOnlyDictionary<Track, int> ByTrack, int Triage);

/// <summary>A cohort's roster.</summary>
public interface IRosterStore
{
    /// <summary>What the diff needs of every person on the roster.</summary>
    Task<IReadOnlyDictionary<string, RosterEntry>> LoadIndexAsync(string cohortId, CancellationToken cancellationToken);

    /// <summary>
    /// Applies up to 100 changes of one import at once (all or none). Idempotent: applying them again changes nothing
    /// and adds no history twice.
    /// </summary>
    Task ApplyAsync(string cohortId, string importId, IReadOnlyList<RosterChange> changes, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>One participant, or null.</summary>
    Task<Participant?> GetAsync(string cohortId, string employeeId, CancellationToken cancellationToken);

    /// <summary>A page of the roster, optionally on one track (or, with <paramref name="triageOnly"/>, awaiting placement).</summary>
    Task<ParticipantPage> ListAsync(string cohortId, Track? track, bool triageOnly, string? continuationToken, int pageSize, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="change"/> to the stored participant and stores the result, reading again and reapplying
    /// when another writer got there first; null when nobody with that id is on the roster.
    /// </summary>
    Task<Participant?> UpdateAsync(string cohortId, string employeeId, Func<Participant, Participant> change, CancellationToken cancellationToken);

    /// <summary>Head counts.</summary>
    Task<RosterCounts> CountAsync(string cohortId, CancellationToken cancellationToken);
}

/// <summary>Reading a whole roster.</summary>
public static class RosterStoreExtensions
{
    /// <summary>Everyone on the cohort's roster (every track, triage and suspended people too), page by page.</summary>
    public static async Task<List<Participant>> ListAllAsync(this IRosterStore roster, string cohortId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(roster);
        var people = new List<Participant>();
        string? continuation = null;
        do
        {
            ParticipantPage page = await roster.ListAsync(cohortId, null, triageOnly: false, continuation, 1000, cancellationToken);
            people.AddRange(page.Items);
            continuation = page.ContinuationToken;
        }
        while (continuation is not null);
        return people;
    }
}
