using Azure;
using Azure.Data.Tables;
using Cohorts.Domain;
using Cohorts.Domain.Access;
using Cohorts.Domain.Learning;

namespace Cohorts.Connectors.Tables;

/// <summary>
/// xAPI statements in one partition: each statement is two rows written in one transaction, <c>id|{id}</c> to find it
/// (taken once: a second add of the id fails as a whole) and <c>t|{stored ticks}|{id}</c> to list by time, so a
/// listing's <c>more</c> is the row key to go on after. Each cohort's counts (received, unmatched) are kept beside them
/// (<see cref="TableCounts"/>, under <c>n|{cohort}|</c>), a statement counted in the transaction that stores it, so the
/// cohort view reads a few rows, not every statement of every cohort.
/// </summary>
public sealed class TableStatementStore(TableClient table) : IStatementStore, IPersonalDataHolder
{
    /// <summary>The table's default name.</summary>
    public const string DefaultTable = "xapistatements";

    private const string Partition = "statements";
    private readonly TableOnFirstUse onFirstUse = new(table);
    private readonly TableCounts counts = new(table, ["Received", "Unmatched"]);

    /// <inheritdoc/>
    public string Kind => "xapiStatements";

    /// <inheritdoc/>
    public async Task<StoredStatement?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await onFirstUse.EnsureAsync(cancellationToken);
        NullableResponse<TableEntity> found = await table.GetEntityIfExistsAsync<TableEntity>(Partition, "id|" + id.ToLowerInvariant(), cancellationToken: cancellationToken);
        return found.HasValue ? FromEntity(found.Value!) : null;
    }

    /// <inheritdoc/>
    public async Task<StatementWrite> AddAsync(StoredStatement statement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        await onFirstUse.EnsureAsync(cancellationToken);
        List<TableTransactionAction> actions =
        [
            new TableTransactionAction(TableTransactionActionType.Add, ToEntity("id|" + statement.Statement.Id, statement)),
            new TableTransactionAction(TableTransactionActionType.Add, ToEntity(TimeKey(statement), statement)),
        ];

        // counted for a cohort that can exist (a statement may name any text as its cohort: no view reads that)
        if (statement.Outcome.CohortId is { } cohortId && EntityIds.Validate(cohortId) is null)
        {
            await EnsureCountedAsync(cohortId, cancellationToken);
            counts.AddTo(actions, Partition, TableCounts.RowKeyOf(CountPrefix(cohortId), "~" + statement.Statement.Id), [1, statement.Outcome.Matched ? 0 : 1]);
        }

        try
        {
            await table.SubmitTransactionAsync(actions, cancellationToken);
            return StatementWrite.Added;
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            StoredStatement? before = await GetAsync(statement.Statement.Id, cancellationToken);
            return before?.Statement.Digest == statement.Statement.Digest ? StatementWrite.Same : StatementWrite.Conflict;
        }
    }

    /// <inheritdoc/>
    public async Task<(IReadOnlyList<StoredStatement> Items, string? More)> ListAsync(DateTimeOffset? since, DateTimeOffset? until, int limit, string? after, CancellationToken cancellationToken)
    {
        await onFirstUse.EnsureAsync(cancellationToken);
        string from = after ?? "t|" + (since is { } s ? (s.UtcTicks + 1).ToString("D19", System.Globalization.CultureInfo.InvariantCulture) : string.Empty);
        string to = "t|" + (until is { } u ? (u.UtcTicks + 1).ToString("D19", System.Globalization.CultureInfo.InvariantCulture) : "~");
        string filter = $"PartitionKey eq '{Partition}' and RowKey {(after is null ? "ge" : "gt")} {TableKeys.Literal(from)} and RowKey lt {TableKeys.Literal(to)}";
        var items = new List<StoredStatement>(limit);
        string? last = null;
        await foreach (TableEntity e in table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(limit + 1, 1000), cancellationToken: cancellationToken))
        {
            if (items.Count == limit)
            {
                return (items, last);
            }

            items.Add(FromEntity(e));
            last = e.RowKey;
        }

        return (items, null);
    }

    /// <inheritdoc/>
    public async Task<(int Received, int Unmatched)> CountAsync(string cohortId, CancellationToken cancellationToken)
    {
        await onFirstUse.EnsureAsync(cancellationToken);
        await EnsureCountedAsync(cohortId, cancellationToken);
        int[] counted = await counts.ReadAsync(Partition, CountPrefix(cohortId), cancellationToken);
        return (counted[0], counted[1]);
    }

    private static string CountPrefix(string cohortId) => $"n|{cohortId}|";

    // statements stored before their counts were kept are counted once, before the cohort's first count
    private Task EnsureCountedAsync(string cohortId, CancellationToken cancellationToken) =>
        counts.EnsureBaseAsync(Partition, CountPrefix(cohortId), async () =>
        {
            int received = 0, unmatched = 0;
            string filter = $"PartitionKey eq '{Partition}' and RowKey ge 'id|' and RowKey lt 'id}}' and CohortId eq {TableKeys.Literal(cohortId)}";
            await foreach (TableEntity e in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["Matched"], cancellationToken: cancellationToken))
            {
                received++;
                unmatched += e.GetBoolean("Matched") == true ? 0 : 1;
            }

            return [received, unmatched];
        }, cancellationToken);

    /// <inheritdoc/>
    public async Task<int> EraseAsync(PersonToErase person, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(person);
        await onFirstUse.EnsureAsync(cancellationToken);
        int erased = 0;
        string filter = $"PartitionKey eq '{Partition}' and CohortId eq {TableKeys.Literal(person.CohortId)} and ParticipantId eq {TableKeys.Literal(person.EmployeeId)}";
        await foreach (TableEntity e in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            // the statement's text names the person (mbox, account, name): only its id and what it did stay
            e["Json"] = $"{{\"id\":\"{e.GetString("StatementId")}\",\"erased\":true}}";
            e["Email"] = null;
            e["Account"] = null;
            e["ParticipantId"] = person.Pseudonym;
            await table.UpdateEntityAsync(e, ETag.All, TableUpdateMode.Replace, cancellationToken);
            erased += e.RowKey.StartsWith("id|", StringComparison.Ordinal) ? 1 : 0;
        }

        return erased;
    }

    private static string TimeKey(StoredStatement s) =>
        $"t|{s.StoredAt.UtcTicks.ToString("D19", System.Globalization.CultureInfo.InvariantCulture)}|{s.Statement.Id}";

    private static TableEntity ToEntity(string rowKey, StoredStatement s) => new(Partition, rowKey)
    {
        ["StatementId"] = s.Statement.Id,
        ["Email"] = s.Statement.Email,
        ["Account"] = s.Statement.Account,
        ["Verb"] = s.Statement.Verb,
        ["Activity"] = s.Statement.Activity,
        ["ScoreRaw"] = s.Statement.Score?.Raw,
        ["ScoreMin"] = s.Statement.Score?.Min,
        ["ScoreMax"] = s.Statement.Score?.Max,
        ["Timestamp"] = s.Statement.Timestamp,
        ["Json"] = s.Statement.Json,
        ["Digest"] = s.Statement.Digest,
        ["CohortId"] = s.Outcome.CohortId,
        ["ParticipantId"] = s.Outcome.ParticipantId,
        ["StepId"] = s.Outcome.StepId,
        ["Matched"] = s.Outcome.Matched,
        ["Effect"] = s.Outcome.Effect,
        ["StoredAt"] = s.StoredAt,
    };

    private static StoredStatement FromEntity(TableEntity e)
    {
        double? raw = e.GetDouble("ScoreRaw"), min = e.GetDouble("ScoreMin"), max = e.GetDouble("ScoreMax");
        var statement = new XapiStatement(
            e.GetString("StatementId"), e.GetString("Email"), e.GetString("Account"), e.GetString("Verb") ?? string.Empty, e.GetString("Activity") ?? string.Empty,
            raw is { } r && min is { } lo && max is { } hi ? (r, lo, hi) : null,
            e.GetDateTimeOffset("Timestamp") ?? default, e.GetString("Json") ?? "{}", e.GetString("Digest") ?? string.Empty);
        return new StoredStatement(
            statement,
            new XapiOutcome(e.GetString("CohortId"), e.GetString("ParticipantId"), e.GetString("StepId"), e.GetBoolean("Matched") ?? false, e.GetString("Effect") ?? string.Empty),
            e.GetDateTimeOffset("StoredAt") ?? default);
    }
}
