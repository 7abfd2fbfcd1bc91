using Cohorts.Workflows.Activities;
using Cohorts.Workflows.Orchestrators;
using Microsoft.DurableTask;

namespace Cohorts.Workflows;

/// <summary>
/// Registers every orchestrator and activity: the self-hosted server's worker calls <see cref="AddCohortWorkflows"/>; the
/// Functions host has one trigger function per class listed here instead (a test checks that each has one).
/// </summary>
public static class CohortWorkflows
{
    /// <summary>Every orchestrator type, for hosts that must declare a function per task.</summary>
    public static IReadOnlyList<Type> Orchestrators { get; } = [typeof(CohortLifecycleOrchestrator), typeof(CheckpointOrchestrator), typeof(RosterSyncOrchestrator), typeof(ReviewOrchestrator), typeof(EventDeliveryOrchestrator), typeof(ErasureOrchestrator), typeof(PracticeOrchestrator)];

    /// <summary>Every activity type.</summary>
    public static IReadOnlyList<Type> Activities { get; } = [typeof(SetCohortStatusActivity), typeof(RecordCheckpointActivity), typeof(ReadImportActivity), typeof(ApplyImportBatchActivity), typeof(SetImportStateActivity), typeof(AdvanceReviewActivity), typeof(RenderReportActivity), typeof(SendReportActivity), typeof(PushAssignmentsActivity), typeof(DeliverEventActivity),
         typeof(BeginErasureActivity), typeof(EraseFromCohortActivity), typeof(PurgeHistoriesActivity), typeof(FinishErasureActivity),
         typeof(EnsureCommunityActivity), typeof(PollCommunityActivity), typeof(SyncPracticeActivity), typeof(RevokeSandboxActivity)];

    /// <summary>Adds the cohort workflows to <paramref name="registry"/>.</summary>
    public static DurableTaskRegistry AddCohortWorkflows(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        foreach (Type orchestrator in Orchestrators)
        {
            registry.AddOrchestrator(orchestrator);
        }

        foreach (Type activity in Activities)
        {
            registry.AddActivity(activity);
        }

        return registry;
    }
}
