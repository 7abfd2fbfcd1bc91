using Cohorts.Domain.Practice;
using Cohorts.Workflows.Activities;
using Cohorts.Workflows.Contracts;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Cohorts.Workflows.Orchestrators;

/// <summary>
/// One per cohort (instance id <c>practice:{cohortId}</c>), started with the cohort: creates the cohort's team once
/// (its operation polled with durable timers, never asked for twice), then keeps the sandbox group and the team equal
/// to the active roster after each applied import (<see cref="ChangedEvent"/> "roster"). When the cohort ends ("ended")
/// the team stays; the sandbox group is emptied <see cref="PracticeInput.RevokeAfter"/> later. A round the directory
/// refused is tried again at the next roster change or <see cref="RetryPolls"/> poll intervals later, whichever comes
/// first (it waited for the next import, so a cohort imported once kept a community without members). Each round
/// continues as new, so the history stays one round long.
/// </summary>
public sealed class PracticeOrchestrator : TaskOrchestrator<PracticeInput, int>
{
    /// <summary>The event that wakes it: "roster" after an applied import, "ended" when the cohort completes or is cancelled.</summary>
    public const string ChangedEvent = "PracticeChanged";

    /// <summary>The payload of an applied import.</summary>
    public const string RosterChanged = "roster";

    /// <summary>The payload of a cohort that ended.</summary>
    public const string CohortEnded = "ended";

    /// <summary>Poll intervals after which a round the directory refused is tried again.</summary>
    public const int RetryPolls = 10;

    /// <inheritdoc/>
    public override async Task<int> RunAsync(TaskOrchestrationContext context, PracticeInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        ILogger log = context.CreateReplaySafeLogger<PracticeOrchestrator>();
        if (input.Ended)
        {
            await context.CreateTimer(context.CurrentUtcDateTime.Add(input.RevokeAfter), CancellationToken.None);
            return await context.CallActivityAsync<int>(nameof(RevokeSandboxActivity), input.CohortId, WorkflowRetries.Store);
        }

        bool synced = true;
        try
        {
            CommunityState? community = await context.CallActivityAsync<CommunityState?>(nameof(EnsureCommunityActivity), input.CohortId, WorkflowRetries.Store);
            while (community == CommunityState.Creating)
            {
                await context.CreateTimer(context.CurrentUtcDateTime.Add(input.PollEvery), CancellationToken.None);
                community = await context.CallActivityAsync<CommunityState?>(nameof(PollCommunityActivity), input.CohortId, WorkflowRetries.Store);
            }

            await context.CallActivityAsync<PracticeSyncResult>(nameof(SyncPracticeActivity), input.CohortId, WorkflowRetries.Store);
        }
        catch (TaskFailedException failure)
        {
            // the directory refused or was away: tried again below; the cohort goes on meanwhile
            log.LogWarning("Practice of cohort {CohortId} not synced this round: {Reason}", input.CohortId, failure.FailureDetails.ErrorMessage);
            synced = false;
        }

        Task<string> changed = context.WaitForExternalEvent<string>(ChangedEvent);
        if (!synced && !await TimerRace.SignalFirstAsync(context, changed, context.CurrentUtcDateTime.Add(input.PollEvery * RetryPolls)))
        {
            // no change came: the same round again (an event arriving meanwhile is kept for the next one)
            context.ContinueAsNew(input, preserveUnprocessedEvents: true);
            return 0;
        }

        string change = await changed;
        context.ContinueAsNew(input with { Ended = change == CohortEnded }, preserveUnprocessedEvents: true);
        return 0;
    }
}
