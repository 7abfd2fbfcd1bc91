using Cohorts.Domain;
using Cohorts.Domain.Enrolment;
using Cohorts.Workflows.Activities;
using Cohorts.Workflows.Contracts;
using Cohorts.Workflows.Orchestrators;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace Cohorts.Functions.Workflows;

/// <summary>
/// The shared orchestrators and activities as functions: one line each, named exactly like the class, because the
/// Durable Task source generator is not available here. A test checks that every task
/// <c>AddCohortWorkflows</c> registers has its function here.
/// </summary>
public static class WorkflowFunctions
{
    /// <summary>The cohort lifecycle.</summary>
    [Function(nameof(CohortLifecycleOrchestrator))]
    public static Task<CohortLifecycleResult> RunCohortLifecycle([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new CohortLifecycleOrchestrator().RunAsync(context, Input<CohortLifecycleInput>(context));

    /// <summary>One checkpoint.</summary>
    [Function(nameof(CheckpointOrchestrator))]
    public static Task<CheckpointOutcome> RunCheckpoint([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new CheckpointOrchestrator().RunAsync(context, Input<CheckpointInput>(context));

    /// <summary>Records a status change.</summary>
    [Function(nameof(SetCohortStatusActivity))]
    public static Task<CohortStatus> RunSetCohortStatus([ActivityTrigger] CohortStatusChange input, FunctionContext function) =>
        Activity<SetCohortStatusActivity>(function).RunAsync(new FunctionActivityContext(nameof(SetCohortStatusActivity), function), input);

    /// <summary>Records a checkpoint snapshot.</summary>
    [Function(nameof(RecordCheckpointActivity))]
    public static Task<CheckpointResult> RunRecordCheckpoint([ActivityTrigger] CheckpointInput input, FunctionContext function) =>
        Activity<RecordCheckpointActivity>(function).RunAsync(new FunctionActivityContext(nameof(RecordCheckpointActivity), function), input);

    /// <summary>Pushes an applied batch's new assignments to the learning platform.</summary>
    [Function(nameof(PushAssignmentsActivity))]
    public static Task<int> RunPushAssignments([ActivityTrigger] ApplyBatchInput input, FunctionContext function) =>
        Activity<PushAssignmentsActivity>(function).RunAsync(new FunctionActivityContext(nameof(PushAssignmentsActivity), function), input);

    /// <summary>Renders a checkpoint's report.</summary>
    [Function(nameof(RenderReportActivity))]
    public static Task<RenderedCheckpoint> RunRenderReport([ActivityTrigger] CheckpointInput input, FunctionContext function) =>
        Activity<RenderReportActivity>(function).RunAsync(new FunctionActivityContext(nameof(RenderReportActivity), function), input);

    /// <summary>Emails a checkpoint's report to one leader.</summary>
    [Function(nameof(SendReportActivity))]
    public static Task<bool> RunSendReport([ActivityTrigger] ReportRecipient input, FunctionContext function) =>
        Activity<SendReportActivity>(function).RunAsync(new FunctionActivityContext(nameof(SendReportActivity), function), input);

    /// <summary>One import's roster sync.</summary>
    [Function(nameof(RosterSyncOrchestrator))]
    public static Task<RosterSyncResult> RunRosterSync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new RosterSyncOrchestrator().RunAsync(context, Input<RosterSyncInput>(context));

    /// <summary>One submission's review.</summary>
    [Function(nameof(ReviewOrchestrator))]
    public static Task<ReviewStepResult> RunReview([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new ReviewOrchestrator().RunAsync(context, Input<ReviewInput>(context));

    /// <summary>One event's delivery to one webhook subscription.</summary>
    [Function(nameof(EventDeliveryOrchestrator))]
    public static Task<DeliveryStepResult> RunEventDelivery([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new EventDeliveryOrchestrator().RunAsync(context, Input<EventDeliveryInput>(context));

    /// <summary>One erasure request.</summary>
    [Function(nameof(ErasureOrchestrator))]
    public static Task<IReadOnlyDictionary<string, int>> RunErasure([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new ErasureOrchestrator().RunAsync(context, Input<ErasureInput>(context));

    /// <summary>A cohort's practice: its team, and its sandbox group and team kept equal to the roster.</summary>
    [Function(nameof(PracticeOrchestrator))]
    public static Task<int> RunPractice([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new PracticeOrchestrator().RunAsync(context, Input<PracticeInput>(context));

    /// <summary>The cohort's team, asked for once.</summary>
    [Function(nameof(EnsureCommunityActivity))]
    public static Task<Cohorts.Domain.Practice.CommunityState?> RunEnsureCommunity([ActivityTrigger] string input, FunctionContext function) =>
        Activity<EnsureCommunityActivity>(function).RunAsync(new FunctionActivityContext(nameof(EnsureCommunityActivity), function), input);

    /// <summary>One poll of the team's operation.</summary>
    [Function(nameof(PollCommunityActivity))]
    public static Task<Cohorts.Domain.Practice.CommunityState?> RunPollCommunity([ActivityTrigger] string input, FunctionContext function) =>
        Activity<PollCommunityActivity>(function).RunAsync(new FunctionActivityContext(nameof(PollCommunityActivity), function), input);

    /// <summary>One round of keeping the sandbox group and the team equal to the roster.</summary>
    [Function(nameof(SyncPracticeActivity))]
    public static Task<PracticeSyncResult> RunSyncPractice([ActivityTrigger] string input, FunctionContext function) =>
        Activity<SyncPracticeActivity>(function).RunAsync(new FunctionActivityContext(nameof(SyncPracticeActivity), function), input);

    /// <summary>The sandbox group emptied after the cohort ended.</summary>
    [Function(nameof(RevokeSandboxActivity))]
    public static Task<int> RunRevokeSandbox([ActivityTrigger] string input, FunctionContext function) =>
        Activity<RevokeSandboxActivity>(function).RunAsync(new FunctionActivityContext(nameof(RevokeSandboxActivity), function), input);

    /// <summary>An erasure's tombstone and cohorts.</summary>
    [Function(nameof(BeginErasureActivity))]
    public static Task<IReadOnlyList<string>> RunBeginErasure([ActivityTrigger] string input, FunctionContext function) =>
        Activity<BeginErasureActivity>(function).RunAsync(new FunctionActivityContext(nameof(BeginErasureActivity), function), input);

    /// <summary>An erasure in one cohort.</summary>
    [Function(nameof(EraseFromCohortActivity))]
    public static Task<ErasedInCohort> RunEraseFromCohort([ActivityTrigger] ErasureStep input, FunctionContext function) =>
        Activity<EraseFromCohortActivity>(function).RunAsync(new FunctionActivityContext(nameof(EraseFromCohortActivity), function), input);

    /// <summary>The erased person's review histories.</summary>
    [Function(nameof(PurgeHistoriesActivity))]
    public static Task<int> RunPurgeHistories([ActivityTrigger] IReadOnlyList<string> input, FunctionContext function) =>
        Activity<PurgeHistoriesActivity>(function).RunAsync(new FunctionActivityContext(nameof(PurgeHistoriesActivity), function), input);

    /// <summary>An erasure's end.</summary>
    [Function(nameof(FinishErasureActivity))]
    public static Task<bool> RunFinishErasure([ActivityTrigger] ErasureFinish input, FunctionContext function) =>
        Activity<FinishErasureActivity>(function).RunAsync(new FunctionActivityContext(nameof(FinishErasureActivity), function), input);

    /// <summary>One attempt of a webhook delivery.</summary>
    [Function(nameof(DeliverEventActivity))]
    public static Task<DeliveryStepResult> RunDeliverEvent([ActivityTrigger] EventDeliveryStep input, FunctionContext function) =>
        Activity<DeliverEventActivity>(function).RunAsync(new FunctionActivityContext(nameof(DeliverEventActivity), function), input);

    /// <summary>One step of a review: reminder, escalation, messages.</summary>
    [Function(nameof(AdvanceReviewActivity))]
    public static Task<ReviewStepResult> RunAdvanceReview([ActivityTrigger] ReviewStepInput input, FunctionContext function) =>
        Activity<AdvanceReviewActivity>(function).RunAsync(new FunctionActivityContext(nameof(AdvanceReviewActivity), function), input);

    /// <summary>Reads an import's source into its diff.</summary>
    [Function(nameof(ReadImportActivity))]
    public static Task<ImportReadResult> RunReadImport([ActivityTrigger] ImportRef input, FunctionContext function) =>
        Activity<ReadImportActivity>(function).RunAsync(new FunctionActivityContext(nameof(ReadImportActivity), function), input);

    /// <summary>Applies one batch of an import.</summary>
    [Function(nameof(ApplyImportBatchActivity))]
    public static Task<int> RunApplyImportBatch([ActivityTrigger] ApplyBatchInput input, FunctionContext function) =>
        Activity<ApplyImportBatchActivity>(function).RunAsync(new FunctionActivityContext(nameof(ApplyImportBatchActivity), function), input);

    /// <summary>Records an import's state.</summary>
    [Function(nameof(SetImportStateActivity))]
    public static Task<ImportState> RunSetImportState([ActivityTrigger] ImportStateChange input, FunctionContext function) =>
        Activity<SetImportStateActivity>(function).RunAsync(new FunctionActivityContext(nameof(SetImportStateActivity), function), input);

    private static T Input<T>(TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.GetInput<T>() ?? throw new InvalidOperationException($"Orchestration {context.InstanceId} has no {typeof(T).Name} input.");
    }

    private static T Activity<T>(FunctionContext function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return ActivatorUtilities.CreateInstance<T>(function.InstanceServices);
    }

    /// <summary>The activity context a class-based activity expects, from the function's invocation.</summary>
    private sealed class FunctionActivityContext(string name, FunctionContext function) : TaskActivityContext
    {
        public override TaskName Name => name;

        public override string InstanceId =>
            function.BindingContext.BindingData.TryGetValue("instanceId", out object? id) ? id?.ToString() ?? string.Empty : string.Empty;
    }
}
