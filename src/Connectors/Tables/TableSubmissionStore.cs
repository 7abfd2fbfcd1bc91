using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Cohorts.Connectors.Json;
using Cohorts.Connectors.Storage;
using Cohorts.Domain;
using Cohorts.Domain.Access;
using Cohorts.Domain.Reviews;

namespace Cohorts.Connectors.Tables;

/// <summary>
/// Submissions in Azure Tables, one partition per cohort: a row per submission (<c>s|{submissionId}</c>, the record as
/// JSON plus the columns queries filter on) and a row per reviewer holding their open-review count
/// (<c>load|{reviewerId}</c>). A submission and its reviewer's count change in one transaction, so the count never
/// drifts from the submissions, and concurrent writers are caught by ETags and retried. The cohort's review figures
/// (<see cref="ReviewTally"/>) are kept the same way, in eight shard rows (<c>tally|0</c> to <c>tally|7</c>, a submission
/// always counted in the shard its id hashes to) so that concurrent writers seldom meet on one row; the cohort view
/// reads the eight rows, never the submissions. A cohort whose submissions predate the figures has them counted once,
/// into shard 0, before the first change is counted: every change is committed only once shard 0 exists, so a change is
/// either in that count or counted as it commits, never both.
/// </summary>
public sealed class TableSubmissionStore(TableClient table) : ISubmissionStore, IPersonalDataHolder
{
    /// <summary>What an erased person's submitted link becomes.</summary>
    public static readonly Uri ErasedLink = new("urn:cohorts:erased");

    /// <inheritdoc/>
    public string Kind => "submissions";

    /// <inheritdoc/>
    public async Task<int> EraseAsync(PersonToErase person, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(person);
        int changed = 0;
        foreach (Submission submission in await ListForParticipantAsync(person.CohortId, person.EmployeeId, cancellationToken))
        {
            // the figures stay (status, times, verdict, rubric scores); who, their link and what was written about it go
            await UpdateAsync(submission.SubmissionId, s => s with
            {
                ParticipantId = person.Pseudonym,
                ArtifactUrl = ErasedLink,
                IdempotencyKey = null,
                Decision = s.Decision is { } d ? d with { Feedback = "erased" } : null,
            }, cancellationToken);
            changed++;
        }

        return changed;
    }

    /// <summary>The table name used by default.</summary>
    public const string DefaultTable = "submissions";

    private const int TallyShards = 8;

    private readonly TableOnFirstUse onFirstUse = new(table);

    // shard 0 of each cohort, counted once for submissions stored before the figures (another writer's count stands)
    private readonly TableMarkers tallied = new(table);

    /// <inheritdoc/>
    public async Task<ReviewTally> TallyAsync(string cohortId, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        await EnsureTalliedAsync(cohortId, cancellationToken);
        ReviewTally sum = ReviewTally.Empty;
        string filter = $"PartitionKey eq {TableKeys.Literal(cohortId)} and RowKey ge 'tally|' and RowKey lt 'tally}}'";
        await foreach (TableEntity shard in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            sum = sum.Plus(FromTally(shard));
        }

        return sum;
    }

    /// <inheritdoc/>
    public async Task<(Submission Stored, bool Created)> CreateAsync(Submission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        await EnsureTableAsync(cancellationToken);
        var contention = new Contention($"the open reviews of reviewer '{submission.ReviewerId}'");
        while (true)
        {
            // the three reads at once: the shorter the time from read to commit, the fewer writers of the reviewer's
            // count (one row for every submission of a one-reviewer track) find it moved
            Task<Submission?> existingRead = GetAsync(submission.SubmissionId, cancellationToken);
            Task<(int Open, ETag? ETag)> loadRead = LoadAsync(submission.CohortId, submission.ReviewerId, cancellationToken);
            Task<TableTransactionAction> tallyRead = TallyActionAsync(null, submission, cancellationToken);
            await Task.WhenAll(existingRead, loadRead, tallyRead);
            if (await existingRead is { } existing)
            {
                return (existing, false);
            }

            (int open, ETag? etag) = await loadRead;
            TableTransactionAction tally = await tallyRead;
            try
            {
                await table.SubmitTransactionAsync(
                    [new TableTransactionAction(TableTransactionActionType.Add, ToEntity(submission)), LoadAction(submission.CohortId, submission.ReviewerId, open + 1, etag), tally],
                    cancellationToken);
                return (submission, true);
            }
            catch (TableTransactionFailedException conflict) when (conflict.Status is 409 or 412)
            {
                // the submission appeared meanwhile (read again) or the count moved (recount)
                await contention.BackOffAsync(conflict, cancellationToken);
            }
        }
    }

    /// <inheritdoc/>
    public async Task<Submission?> GetAsync(string submissionId, CancellationToken cancellationToken) =>
        (await GetWithETagAsync(submissionId, cancellationToken))?.Submission;

    /// <inheritdoc/>
    public async Task<Submission> UpdateAsync(string submissionId, Func<Submission, Submission> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var contention = new Contention($"submission '{submissionId}'");
        while (true)
        {
            (Submission current, ETag etag) = await GetWithETagAsync(submissionId, cancellationToken)
                ?? throw new KeyNotFoundException($"There is no submission '{submissionId}'.");
            Submission changed = change(current);
            if (ReferenceEquals(changed, current))
            {
                return current;
            }

            // the rows the change moves besides the submission, read at once (the shorter the time from read to commit,
            // the fewer writers find a row moved): a closed review frees its reviewer; a moved one moves its count to
            // the new reviewer; a verdict or an escalation is counted in the figures
            bool moved = !string.Equals(current.ReviewerId, changed.ReviewerId, StringComparison.OrdinalIgnoreCase);
            var reads = new List<Task<TableTransactionAction>>();
            if (current.IsOpen && (!changed.IsOpen || moved))
            {
                reads.Add(LoadActionAsync(current.CohortId, current.ReviewerId, open => Math.Max(0, open - 1), cancellationToken));
            }

            if (changed.IsOpen && moved)
            {
                reads.Add(LoadActionAsync(changed.CohortId, changed.ReviewerId, open => open + (current.IsOpen ? 1 : 0), cancellationToken));
            }

            if ((current.Decision is null && changed.Decision is not null) || (current.EscalatedAt is null && changed.EscalatedAt is not null))
            {
                reads.Add(TallyActionAsync(current, changed, cancellationToken));
            }

            var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateReplace, ToEntity(changed), etag) };
            actions.AddRange(await Task.WhenAll(reads));

            try
            {
                await table.SubmitTransactionAsync(actions, cancellationToken);
                return changed;
            }
            catch (TableTransactionFailedException conflict) when (conflict.Status is 409 or 412)
            {
                await contention.BackOffAsync(conflict, cancellationToken);
            }
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Submission>> ListForParticipantAsync(string cohortId, string participantId, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        var found = new List<Submission>();
        string filter = $"PartitionKey eq {TableKeys.Literal(cohortId)} and ParticipantId eq {TableKeys.Literal(participantId)}";
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            found.Add(FromEntity(entity));
        }

        return found.OrderBy(s => s.SubmittedAt).ThenBy(s => s.Attempt).ToList();
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<Submission> ListAsync(string cohortId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        string filter = $"PartitionKey eq {TableKeys.Literal(cohortId)} and RowKey ge 's|' and RowKey lt 's}}'";
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            yield return FromEntity(entity);
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<Submission> QueryAsync(SubmissionQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await EnsureTableAsync(cancellationToken);
        var filters = new List<string> { "RowKey ge 's|'", "RowKey lt 's}'" };
        if (query.CohortId is { } cohortId)
        {
            filters.Insert(0, $"PartitionKey eq {TableKeys.Literal(cohortId)}");
        }

        if (query.Statuses is { Count: > 0 } statuses)
        {
            filters.Add("(" + string.Join(" or ", statuses.Select(s => $"Status eq {TableKeys.Literal(s.ToString())}")) + ")");
        }

        if (query.IdempotencyKey is { } key)
        {
            filters.Add($"IdempotencyKey eq {TableKeys.Literal(key)}");
        }

        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(string.Join(" and ", filters), maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            Submission submission = FromEntity(entity);
            if (query.ReviewerId is not { } reviewer || submission.MayBeDecidedBy(reviewer))
            {
                yield return submission;
            }
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyDictionary<string, int>> OpenReviewsAsync(string cohortId, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        var loads = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        string filter = $"PartitionKey eq {TableKeys.Literal(cohortId)} and RowKey ge 'load|' and RowKey lt 'load}}'";
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            loads[entity.GetString("ReviewerId")] = entity.GetInt32("Open") ?? 0;
        }

        return loads;
    }

    private async Task<(Submission Submission, ETag ETag)?> GetWithETagAsync(string submissionId, CancellationToken cancellationToken)
    {
        if (Submission.CohortOf(submissionId) is not { } cohortId)
        {
            return null;
        }

        await EnsureTableAsync(cancellationToken);
        NullableResponse<TableEntity> found = await table.GetEntityIfExistsAsync<TableEntity>(cohortId, "s|" + submissionId, cancellationToken: cancellationToken);
        return found.HasValue ? (FromEntity(found.Value!), found.Value!.ETag) : null;
    }

    private async Task<(int Open, ETag? ETag)> LoadAsync(string cohortId, string reviewerId, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> found = await table.GetEntityIfExistsAsync<TableEntity>(cohortId, LoadKey(reviewerId), cancellationToken: cancellationToken);
        return found.HasValue ? (found.Value!.GetInt32("Open") ?? 0, found.Value!.ETag) : (0, null);
    }

    private async Task<TableTransactionAction> LoadActionAsync(string cohortId, string reviewerId, Func<int, int> open, CancellationToken cancellationToken)
    {
        (int now, ETag? etag) = await LoadAsync(cohortId, reviewerId, cancellationToken);
        return LoadAction(cohortId, reviewerId, open(now), etag);
    }

    private static TableTransactionAction LoadAction(string cohortId, string reviewerId, int open, ETag? etag)
    {
        var entity = new TableEntity(cohortId, LoadKey(reviewerId)) { ["ReviewerId"] = reviewerId, ["Open"] = open };
        return etag is { } tag
            ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, tag)
            : new TableTransactionAction(TableTransactionActionType.Add, entity);
    }

    /// <summary>The write of the tally shard of <paramref name="after"/>'s id with its change counted, under the shard's ETag.</summary>
    private async Task<TableTransactionAction> TallyActionAsync(Submission? before, Submission after, CancellationToken cancellationToken)
    {
        await EnsureTalliedAsync(after.CohortId, cancellationToken);
        string key = TallyKey(after.SubmissionId);
        NullableResponse<TableEntity> found = await table.GetEntityIfExistsAsync<TableEntity>(after.CohortId, key, cancellationToken: cancellationToken);
        ReviewTally tally = (found.HasValue ? FromTally(found.Value!) : ReviewTally.Empty).After(before, after);
        TableEntity entity = ToTally(after.CohortId, key, tally);
        return found.HasValue
            ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, found.Value!.ETag)
            : new TableTransactionAction(TableTransactionActionType.Add, entity);
    }

    /// <summary>Makes sure shard 0 exists, counting the cohort's submissions into it when it does not (a cohort older than the figures).</summary>
    private Task EnsureTalliedAsync(string cohortId, CancellationToken cancellationToken) =>
        tallied.EnsureAsync(cohortId, "tally|0", async () =>
        {
            ReviewTally counted = ReviewTally.Empty;
            await foreach (Submission submission in ListAsync(cohortId, cancellationToken))
            {
                counted = counted.Plus(ReviewTally.Of(submission));
            }

            return ToTally(cohortId, "tally|0", counted);
        }, cancellationToken);

    private static string TallyKey(string submissionId)
    {
        // a stable hash (string.GetHashCode differs between processes): FNV-1a over the id's characters
        uint hash = 2166136261;
        foreach (char c in submissionId)
        {
            hash = (hash ^ c) * 16777619;
        }

        return "tally|" + (hash % TallyShards).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static TableEntity ToTally(string cohortId, string key, ReviewTally tally) => new(cohortId, key)
    {
        ["Submitted"] = tally.Submitted,
        ["Decided"] = tally.Decided,
        ["DecidedInWindow"] = tally.DecidedInWindow,
        ["Escalations"] = tally.Escalations,
        // "bucket:count" pairs; at most some 1,300 buckets span a millisecond to a year, well within a property's 32K characters
        ["FeedbackBuckets"] = string.Join(';', tally.FeedbackBuckets.OrderBy(b => b.Key).Select(b => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{b.Key}:{b.Value}"))),
    };

    private static ReviewTally FromTally(TableEntity entity)
    {
        var buckets = new Dictionary<int, int>();
        foreach (string pair in (entity.GetString("FeedbackBuckets") ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            int colon = pair.IndexOf(':', StringComparison.Ordinal);
            buckets[int.Parse(pair.AsSpan(0, colon), System.Globalization.CultureInfo.InvariantCulture)] = int.Parse(pair.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture);
        }

        return new ReviewTally(entity.GetInt32("Submitted") ?? 0, entity.GetInt32("Decided") ?? 0, entity.GetInt32("DecidedInWindow") ?? 0, entity.GetInt32("Escalations") ?? 0, buckets);
    }

    private static string LoadKey(string reviewerId) => "load|" + KeyEscape.Escape(reviewerId.ToLowerInvariant());

    private static TableEntity ToEntity(Submission s)
    {
        var entity = new TableEntity(s.CohortId, "s|" + s.SubmissionId)
        {
            ["ParticipantId"] = s.ParticipantId,
            ["StepId"] = s.StepId,
            ["Attempt"] = s.Attempt,
            ["Status"] = s.Status.ToString(),
            ["ReviewerId"] = s.ReviewerId,
            ["Doc"] = JsonSerializer.Serialize(s, CohortsJson.Options),
        };
        if (s.IdempotencyKey is { } key)
        {
            // a column, so that a key sent again for another participant or step is found by one query
            entity["IdempotencyKey"] = key;
        }

        return entity;
    }

    private static Submission FromEntity(TableEntity entity) =>
        JsonSerializer.Deserialize<Submission>(entity.GetString("Doc"), CohortsJson.Options)
            ?? throw new JsonException($"Submission row {entity.RowKey} holds null.");

    private Task EnsureTableAsync(CancellationToken cancellationToken) => onFirstUse.EnsureAsync(cancellationToken);
}
