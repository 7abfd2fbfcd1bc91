using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Cohorts.Connectors.Json;
using Cohorts.Connectors.Storage;
using Cohorts.Domain;
using Cohorts.Domain.Access;
using Cohorts.Domain.Enrolment;

namespace Cohorts.Connectors.Tables;

/// <summary>
/// The roster in Azure Tables: one partition per cohort, one entity per participant (row key: the escaped employee
/// id), so a cohort's roster is filtered, paged and counted by the table, and a batch of changes is one transaction.
/// </summary>
public sealed class TableRosterStore(TableClient table) : IRosterStore, IPersonalDataHolder
{
    /// <inheritdoc/>
    public string Kind => "participants";

    /// <inheritdoc/>
    public int Order => 100;

    /// <inheritdoc/>
    public async Task<int> EraseAsync(PersonToErase person, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(person);
        await EnsureCountedAsync(person.CohortId, cancellationToken);
        (Participant? found, ETag etag) = await GetWithETagAsync(person.CohortId, person.EmployeeId, cancellationToken);
        if (found is null)
        {
            return 0;
        }

        // one transaction: the row under the employee id goes, the row under the pseudonym comes (replacing one an
        // earlier erasure of the same person left), the counts move with them
        Participant erased = found.Erased(person.Pseudonym);
        (Participant? replaced, _) = await GetWithETagAsync(person.CohortId, person.Pseudonym, cancellationToken);
        int[] delta = counts.Zero();
        RosterCountRows.Add(delta, found, -1);
        RosterCountRows.Add(delta, replaced, -1);
        RosterCountRows.Add(delta, erased, +1);
        List<TableTransactionAction> actions =
        [
            new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(person.CohortId, KeyEscape.Escape(person.EmployeeId)), etag),
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(erased)),
        ];
        counts.AddTo(actions, person.CohortId, RosterCountRows.OneKey(), delta);
        await table.SubmitTransactionAsync(actions, cancellationToken);
        return 1;
    }

    /// <summary>The table name used by default.</summary>
    public const string DefaultTable = "participants";

    private const string Triage = "";
    private const string Comparison = "comparison";
    private static readonly string[] IndexColumns = ["RowKey", "EmployeeId", "Track", "Status", "TrackOverridden", "Fingerprint", "Group"];
    private readonly TableOnFirstUse onFirstUse = new(table);

    private readonly TableCounts counts = new(table, RosterCountRows.Columns);

    private readonly TableMarkers markers = new(table);

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, RosterEntry>> LoadIndexAsync(string cohortId, CancellationToken cancellationToken)
    {
        var index = new Dictionary<string, RosterEntry>(StringComparer.Ordinal);
        await EnsureTableAsync(cancellationToken);
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(PeopleOf(cohortId), maxPerPage: 1000, select: IndexColumns, cancellationToken: cancellationToken))
        {
            string id = IdOf(entity);
            index[id] = new RosterEntry(id, TrackOf(entity), StatusOf(entity), entity.GetBoolean("TrackOverridden") ?? false, entity.GetString("Fingerprint") ?? string.Empty, GroupOf(entity));
        }

        return index;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Each transaction also adds the batch's count row (named by the import and the batch's first person), so a batch
    /// is at most 99 people a transaction; a hundred changes (a batch cut before the counts were kept) go in two.
    /// </remarks>
    public async Task<IReadOnlyList<RosterChange>> ApplyAsync(string cohortId, string importId, IReadOnlyList<RosterChange> changes, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count > 100)
        {
            throw new ArgumentException("A batch holds at most 100 changes.", nameof(changes));
        }

        await EnsureCountedAsync(cohortId, cancellationToken);
        var applied = new List<RosterChange>(changes.Count);
        for (int first = 0; first < changes.Count; first += MaxPerTransaction)
        {
            applied.AddRange(await ApplyOnceAsync(cohortId, importId, changes.Skip(first).Take(MaxPerTransaction).ToList(), at, cancellationToken));
        }

        return applied;
    }

    /// <summary>People a transaction of an import writes: a hundred operations less its count row.</summary>
    public const int MaxPerTransaction = 99;

    private async Task<List<RosterChange>> ApplyOnceAsync(string cohortId, string importId, List<RosterChange> changes, DateTimeOffset at, CancellationToken cancellationToken)
    {
        string countKey = RosterCountRows.BatchKey(importId, changes[0].EmployeeId);
        int[] delta = counts.Zero();
        if (changes.TrueForAll(c => c.Kind == ChangeKind.Join))
        {
            // joiners are new to the roster (the diff found no row): added without reading first; a row there already
            // (this batch run before, or someone enrolled since) fails the whole transaction, and the read path decides
            List<TableTransactionAction> adds = new(changes.Count + 1);
            foreach (RosterChange change in changes)
            {
                Participant joined = Participant.AfterChange(cohortId, importId, change, null, at);
                RosterCountRows.Add(delta, joined, +1);
                adds.Add(new TableTransactionAction(TableTransactionActionType.Add, ToEntity(joined)));
            }

            counts.AddTo(adds, cohortId, countKey, delta);
            try
            {
                await table.SubmitTransactionAsync(adds, cancellationToken);
                return changes;
            }
            catch (TableTransactionFailedException conflict) when (conflict.Status == 409)
            {
                // fall through to read each row
                Array.Clear(delta);
            }
        }

        // the batch's count row is there only when its transaction committed (and a read of the counts has not folded it
        // since): then what it applied is on the rows, and it is written again only when it is not
        Task<NullableResponse<TableEntity>> counted = table.GetEntityIfExistsAsync<TableEntity>(cohortId, countKey, select: ["RowKey"], cancellationToken: cancellationToken);
        (Participant? Participant, ETag ETag)[] current = await Task.WhenAll(changes.Select(c => GetWithETagAsync(cohortId, c.EmployeeId, cancellationToken)));
        bool committed = (await counted).HasValue;
        var applied = new List<RosterChange>(changes.Count);
        var actions = new List<TableTransactionAction>(changes.Count + 1);
        for (int i = 0; i < changes.Count; i++)
        {
            (Participant? before, ETag etag) = current[i];
            Participant after = Participant.AfterChange(cohortId, importId, changes[i], before, at);
            if (InEffectAlready(importId, changes[i], before, after))
            {
                continue;
            }

            applied.Add(changes[i]);
            if (committed)
            {
                continue;
            }

            RosterCountRows.Add(delta, before, -1);
            RosterCountRows.Add(delta, after, +1);
            TableEntity entity = ToEntity(after);
            actions.Add(before is null
                ? new TableTransactionAction(TableTransactionActionType.Add, entity)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, etag));
        }

        if (committed || actions.Count == 0)
        {
            return applied;
        }

        // a concurrent writer (an override, another import) makes the transaction fail as a whole: the activity retries
        // with fresh reads
        counts.AddTo(actions, cohortId, countKey, delta);
        try
        {
            await table.SubmitTransactionAsync(actions, cancellationToken);
        }
        catch (TableTransactionFailedException raced) when (raced.Status is 409 or 412)
        {
            throw new InvalidOperationException(
                $"A person of this batch (employee id '{changes[raced.FailedTransactionActionIndex ?? 0].EmployeeId}' or another) was changed by someone else while the batch was written: another import of cohort '{cohortId}' or a track set by hand at the same time. Nothing of this batch was written. The apply tries a batch again a few times; when this is the import's error, resume it with POST /api/cohorts/{cohortId}/imports/{importId}/apply.",
                raced);
        }

        return applied;
    }

    /// <summary>
    /// Whether a change would leave the person as they are, on a row this import has not written: another import of the
    /// cohort, applied at the same time from the same roster, put them there first. Such a change is neither written nor
    /// reported (no second participant.joined). A join, move, leave or rejoin this import wrote names the import in the
    /// row's history, so read again (a retried batch) it counts as applied. An update of HR attributes leaves no history
    /// and raises no event: it is always written (the same values again) and counted. A diff read against the roster as
    /// it is yields no such change: it lists a person only when their track, status or HR attributes differ.
    /// </summary>
    private static bool InEffectAlready(string importId, RosterChange change, Participant? before, Participant after) =>
        change.Kind != ChangeKind.Update
        && before is not null
        && !before.History.Any(h => h.Source == importId)
        && before.Track == after.Track
        && before.Status == after.Status
        && before.Group == after.Group
        && HrFingerprint.Of(before.Hr) == HrFingerprint.Of(after.Hr);

    /// <inheritdoc/>
    public async Task<Participant?> GetAsync(string cohortId, string employeeId, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        NullableResponse<TableEntity> found = await table.GetEntityIfExistsAsync<TableEntity>(cohortId, KeyEscape.Escape(employeeId), cancellationToken: cancellationToken);
        return found.HasValue ? FromEntity(found.Value!) : null;
    }

    /// <inheritdoc/>
    public async Task<ParticipantPage> ListAsync(string cohortId, ParticipantGroup group, Track? track, bool triageOnly, string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        string filter = $"PartitionKey eq {TableKeys.Literal(cohortId)}";
        if (group == ParticipantGroup.Trained && track is null && !triageOnly)
        {
            filter += $" and {RosterCountRows.NotCounts}"; // the other filters name columns a count row lacks
        }

        if (group == ParticipantGroup.Comparison)
        {
            filter += $" and Group eq '{Comparison}'";
        }

        if (track is { } t)
        {
            filter += $" and Track eq {TableKeys.Literal(TrackNames.Name(t))}";
        }
        else if (triageOnly)
        {
            filter += $" and Track eq '' and Status eq 'active'";
        }

        await foreach (Page<TableEntity> page in table.QueryAsync<TableEntity>(filter, maxPerPage: pageSize, cancellationToken: cancellationToken).AsPages(continuationToken, pageSize))
        {
            return new ParticipantPage(page.Values.Where(e => !RosterCountRows.Holds(e.RowKey)).Select(FromEntity).Where(p => p.Group == group).ToList(), page.ContinuationToken);
        }

        return new ParticipantPage([], null);
    }

    /// <inheritdoc/>
    public async Task<Participant?> UpdateAsync(string cohortId, string employeeId, Func<Participant, Participant> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        await EnsureCountedAsync(cohortId, cancellationToken);
        var contention = new Contention($"participant '{employeeId}'");
        while (true)
        {
            (Participant? before, ETag etag) = await GetWithETagAsync(cohortId, employeeId, cancellationToken);
            if (before is null)
            {
                return null;
            }

            Participant after = change(before);
            int[] delta = counts.Zero();
            RosterCountRows.Add(delta, before, -1);
            RosterCountRows.Add(delta, after, +1);
            List<TableTransactionAction> actions = [new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(after), etag)];
            counts.AddTo(actions, cohortId, RosterCountRows.OneKey(), delta);
            try
            {
                await table.SubmitTransactionAsync(actions, cancellationToken);
                return after;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                // another writer (an import, a concurrent override) wrote the same person in between: read again
                await contention.BackOffAsync(e, cancellationToken);
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>Reads the count rows, not the people (<see cref="TableCounts"/>).</remarks>
    public async Task<RosterCounts> CountAsync(string cohortId, CancellationToken cancellationToken)
    {
        await EnsureCountedAsync(cohortId, cancellationToken);
        return RosterCountRows.Of(await counts.ReadAsync(cohortId, RosterCountRows.Prefix, cancellationToken));
    }

    /// <inheritdoc/>
    /// <remarks>
    /// A table query on the email as given in lowercase, or on the lowercase key kept beside an email that has capitals
    /// (<c>EmailKey</c>): the store filters, nobody reads the roster. A roster stored before the key was kept is keyed
    /// once, on its first lookup.
    /// </remarks>
    public async Task<IReadOnlyList<Participant>> FindByEmailAsync(string cohortId, string email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        await EnsureEmailsKeyedAsync(cohortId, cancellationToken);
        string key = TableKeys.Literal(email.ToLowerInvariant());
        var found = new List<Participant>();
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>($"PartitionKey eq {TableKeys.Literal(cohortId)} and (Email eq {key} or EmailKey eq {key})", cancellationToken: cancellationToken))
        {
            found.Add(FromEntity(entity));
        }

        return found;
    }

    // the lowercase email a lookup matches, kept only for an email with capitals (one in lowercase is matched as it is)
    private static string? EmailKeyOf(string? email) =>
        email is not null && email.ToLowerInvariant() is var lower && !string.Equals(lower, email, StringComparison.Ordinal) ? lower : null;

    private async Task EnsureEmailsKeyedAsync(string cohortId, CancellationToken cancellationToken)
    {
        await EnsureCountedAsync(cohortId, cancellationToken); // a new roster is marked keyed when it is first counted
        await markers.EnsureAsync(cohortId, RosterCountRows.EmailsKeyed, async () =>
        {
            // rows written before the key was kept: each email with capitals gets its key, unless the row changed since it
            // was read (its writer kept the key itself) or went (an erasure)
            await foreach (TableEntity entity in table.QueryAsync<TableEntity>(PeopleOf(cohortId), maxPerPage: 1000, select: ["RowKey", "Email", "EmailKey"], cancellationToken: cancellationToken))
            {
                if (EmailKeyOf(entity.GetString("Email")) is { } key && entity.GetString("EmailKey") != key)
                {
                    try
                    {
                        await table.UpdateEntityAsync(new TableEntity(cohortId, entity.RowKey) { ["EmailKey"] = key }, entity.ETag, TableUpdateMode.Merge, cancellationToken);
                    }
                    catch (RequestFailedException e) when (e.Status is 404 or 412)
                    {
                        // rewritten or erased meanwhile
                    }
                }
            }

            return new TableEntity(cohortId, RosterCountRows.EmailsKeyed);
        }, cancellationToken);
    }

    // every write, and every read of the counts, first makes sure a roster stored before its counts were kept is counted
    private async Task EnsureCountedAsync(string cohortId, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        await counts.EnsureBaseAsync(cohortId, RosterCountRows.Prefix, async () =>
        {
            int[] stored = counts.Zero();
            bool empty = true;
            await foreach (TableEntity entity in table.QueryAsync<TableEntity>(PeopleOf(cohortId), maxPerPage: 1000, select: ["RowKey", "Track", "Status", "Group"], cancellationToken: cancellationToken))
            {
                RosterCountRows.Add(stored, GroupOf(entity), StatusOf(entity), TrackOf(entity), +1);
                empty = false;
            }

            if (empty)
            {
                await markers.AddAsync(new TableEntity(cohortId, RosterCountRows.EmailsKeyed), cancellationToken); // a new roster: every row it gets keeps its email key
            }

            return stored;
        }, cancellationToken);
    }

    private async Task<(Participant? Participant, ETag ETag)> GetWithETagAsync(string cohortId, string employeeId, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> found = await table.GetEntityIfExistsAsync<TableEntity>(cohortId, KeyEscape.Escape(employeeId), cancellationToken: cancellationToken);
        return found.HasValue ? (FromEntity(found.Value!), found.Value!.ETag) : (null, default);
    }

    private Task EnsureTableAsync(CancellationToken cancellationToken) => onFirstUse.EnsureAsync(cancellationToken);

    // the filter of a roster's people: its partition without the roster's own rows
    private static string PeopleOf(string cohortId) => $"PartitionKey eq {TableKeys.Literal(cohortId)} and {RosterCountRows.NotCounts}";

    private static Track? TrackOf(TableEntity entity) =>
        TrackNames.TryParse(entity.GetString("Track"), out Track track) ? track : null;

    private static ParticipantStatus StatusOf(TableEntity entity) => entity.GetString("Status") switch
    {
        "suspended" => ParticipantStatus.Suspended,
        "erased" => ParticipantStatus.Erased,
        _ => ParticipantStatus.Active,
    };

    /// <summary>
    /// The participant's row. A property without a value is left out rather than written as null: the table service
    /// stores no nulls anyway, every write here replaces the whole row, and a missing property reads back as null; the
    /// eight or so empty HR attributes of a typical row were a third of what each row of an import's transaction sent.
    /// </summary>
    private static TableEntity ToEntity(Participant p)
    {
        string key = KeyEscape.Escape(p.EmployeeId);
        var entity = new TableEntity(p.CohortId, key);
        void Set(string name, object? value)
        {
            if (value is not null)
            {
                entity[name] = value;
            }
        }

        // what a row would only repeat is left out (each property is parsed and kept by the store, a hundred thousand
        // times in an enrolment): the id when its row key is the id itself, a change time equal to the joining time, an
        // override flag that is not set; reading puts them back
        Set("EmployeeId", key == p.EmployeeId ? null : p.EmployeeId);
        Set("Email", p.Hr.Email);
        Set("EmailKey", EmailKeyOf(p.Hr.Email));
        Set("Upn", p.Hr.Upn);
        Set("DisplayName", p.Hr.DisplayName);
        Set("ManagerId", p.Hr.ManagerId);
        Set("JobTitle", p.Hr.JobTitle);
        Set("Department", p.Hr.Department);
        Set("JobFamily", p.Hr.JobFamily);
        Set("JobLevel", p.Hr.JobLevel);
        Set("ExplicitTrack", p.Hr.ExplicitTrack);
        Set("HireDate", p.Hr.HireDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Set("OccupationCode", p.Hr.OccupationCode);
        Set("Group", p.Group == ParticipantGroup.Comparison ? Comparison : null);
        Set("Track", p.Track is { } t ? TrackNames.Name(t) : Triage);
        Set("TrackRule", p.TrackRule);
        Set("TrackReason", p.TrackReason);
        Set("TrackOverridden", p.TrackOverridden ? true : null);
        Set("Status", p.Status switch { ParticipantStatus.Suspended => "suspended", ParticipantStatus.Erased => "erased", _ => "active" });
        Set("JoinedAt", p.JoinedAt);
        Set("UpdatedAt", p.UpdatedAt == p.JoinedAt ? null : p.UpdatedAt);
        Set("Fingerprint", HrFingerprint.Of(p.Hr));
        // a history that is only the joining (nearly every row: enrolled by an import, never moved) is kept as the source
        // that enrolled the person; the change itself is the joining time, track and rule already on the row. Escaped as a
        // string in the row's JSON, it was a third of an enrolment's bytes
        if (JoiningOnly(p) is { } source)
        {
            Set("JoinedBy", source);
        }
        else
        {
            Set("History", p.History.Count == 0 ? null : JsonSerializer.Serialize(p.History, CohortsJson.Options));
        }

        return entity;
    }

    // the source of a history that is exactly the joining the row shows: at the joining time (in UTC, as the row keeps
    // it), from nowhere to the row's track by the row's rule; null for any other history
    private static string? JoiningOnly(Participant p) =>
        p.History is [{ From: null } change] && change.At.EqualsExact(p.JoinedAt) && p.JoinedAt.Offset == TimeSpan.Zero
            && change.To == p.Track && string.Equals(change.Rule, p.TrackRule, StringComparison.Ordinal)
            ? change.Source
            : null;

    private static List<TrackChange> HistoryOf(TableEntity e, Track? track, string rule, DateTimeOffset joinedAt) =>
        e.GetString("JoinedBy") is { } source
            ? [new TrackChange(joinedAt, null, track, rule, source)]
            : JsonSerializer.Deserialize<List<TrackChange>>(e.GetString("History") ?? "[]", CohortsJson.Options) ?? [];

    private static Participant FromEntity(TableEntity e)
    {
        string id = IdOf(e);
        var hr = new HrRecord(
            id,
            e.GetString("Email"),
            e.GetString("Upn"),
            e.GetString("DisplayName"),
            e.GetString("ManagerId"),
            e.GetString("JobTitle"),
            e.GetString("Department"),
            e.GetString("JobFamily"),
            e.GetString("JobLevel"),
            e.GetString("ExplicitTrack"),
            Terminated: StatusOf(e) != ParticipantStatus.Active,
            HireDate: DateOnly.TryParseExact(e.GetString("HireDate"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly hired) ? hired : null,
            OccupationCode: e.GetString("OccupationCode"));
        Track? track = TrackOf(e);
        string rule = e.GetString("TrackRule") ?? string.Empty;
        DateTimeOffset joinedAt = e.GetDateTimeOffset("JoinedAt") ?? default;
        return new Participant(
            e.PartitionKey,
            id,
            hr,
            track,
            rule,
            e.GetString("TrackReason") ?? string.Empty,
            e.GetBoolean("TrackOverridden") ?? false,
            StatusOf(e),
            joinedAt,
            e.GetDateTimeOffset("UpdatedAt") ?? joinedAt,
            HistoryOf(e, track, rule, joinedAt),
            GroupOf(e));
    }

    // the id is kept as a column only when its row key had to be escaped (and in every row stored before)
    private static string IdOf(TableEntity entity) => entity.GetString("EmployeeId") ?? KeyEscape.Unescape(entity.RowKey);

    // trained people carry no group column (as every row stored before groups existed): a table filter on a column a
    // row lacks excludes the row, so the trained group is told apart by reading the column, the comparison group by it
    private static ParticipantGroup GroupOf(TableEntity entity) =>
        entity.GetString("Group") == Comparison ? ParticipantGroup.Comparison : ParticipantGroup.Trained;
}
