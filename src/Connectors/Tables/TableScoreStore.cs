using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Cohorts.Domain;
using Cohorts.Domain.Access;
using Cohorts.Connectors.Storage;
using Cohorts.Domain.Learning;

namespace Cohorts.Connectors.Tables;

/// <summary>
/// Assessment scores in a table: partition = cohort id, row key = <c>{participant}|{assessment}</c> (escaped), so a
/// person has one score per assessment; a later score replaces an earlier one, an earlier one arriving late does not.
/// </summary>
public sealed class TableScoreStore(TableClient table) : IScoreStore, IPersonalDataHolder
{
    /// <summary>The table's default name.</summary>
    public const string DefaultTable = "scores";

    private readonly TableOnFirstUse onFirstUse = new(table);

    /// <inheritdoc/>
    public string Kind => "scores";

    /// <inheritdoc/>
    public async Task<int> EraseAsync(PersonToErase person, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(person);
        List<AssessmentScore> theirs = await ListAsync(person.CohortId, cancellationToken).Where(s => s.ParticipantId == person.EmployeeId).ToListAsync(cancellationToken);
        // the scores move under the pseudonym, so the bands still add up; then the rows under the employee id go
        await SaveAsync(person.CohortId, theirs.Select(s => s with { ParticipantId = person.Pseudonym }).ToList(), cancellationToken);
        foreach (AssessmentScore s in theirs)
        {
            await table.DeleteEntityAsync(person.CohortId, Key(s.ParticipantId, s.Assessment), ETag.All, cancellationToken);
        }

        return theirs.Count;
    }

    /// <inheritdoc/>
    public async Task SaveAsync(string cohortId, IReadOnlyList<AssessmentScore> scores, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scores);
        await onFirstUse.EnsureAsync(cancellationToken);
        foreach (AssessmentScore s in scores)
        {
            var contention = new Contention($"score of '{s.ParticipantId}' on '{s.Assessment}'");
            while (true)
            {
                NullableResponse<TableEntity> found = await table.GetEntityIfExistsAsync<TableEntity>(cohortId, Key(s.ParticipantId, s.Assessment), cancellationToken: cancellationToken);
                if (found.HasValue && found.Value!.GetDateTimeOffset("ScoredAt") > s.ScoredAt)
                {
                    break; // a later score stands
                }

                TableEntity entity = ToEntity(cohortId, s);
                try
                {
                    if (found.HasValue)
                    {
                        await table.UpdateEntityAsync(entity, found.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                    }
                    else
                    {
                        await table.AddEntityAsync(entity, cancellationToken);
                    }

                    break;
                }
                catch (RequestFailedException e) when (e.Status is 409 or 412)
                {
                    await contention.BackOffAsync(e, cancellationToken);
                }
            }
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<AssessmentScore> ListAsync(string cohortId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await onFirstUse.EnsureAsync(cancellationToken);
        await foreach (TableEntity e in table.QueryAsync<TableEntity>($"PartitionKey eq {TableKeys.Literal(cohortId)}", maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            yield return new AssessmentScore(
                cohortId, e.GetString("ParticipantId"), e.GetString("Assessment"), e.GetDouble("Raw") ?? 0, e.GetDouble("Min") ?? 0, e.GetDouble("Max") ?? 1,
                e.GetString("Source") ?? string.Empty, e.GetDateTimeOffset("ScoredAt") ?? default);
        }
    }

    private static TableEntity ToEntity(string cohortId, AssessmentScore s) => new(cohortId, Key(s.ParticipantId, s.Assessment))
    {
        ["ParticipantId"] = s.ParticipantId,
        ["Assessment"] = s.Assessment,
        ["Raw"] = s.Raw,
        ["Min"] = s.Min,
        ["Max"] = s.Max,
        ["Scaled"] = s.Scaled,
        ["Source"] = s.Source,
        ["ScoredAt"] = s.ScoredAt,
    };

    private static string Key(string participantId, string assessment) => KeyEscape.Escape(participantId) + "|" + KeyEscape.Escape(assessment);
}
