using Cohorts.Application;
using Cohorts.Application.Enrolment;
using Cohorts.Domain.Enrolment;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Cohorts.Functions.Triggers;

/// <summary>
/// HR drops an export into <c>hris-imports/{cohortId}/{name}</c> and the cohort enrols from it, as if it had been
/// posted to <c>/imports</c> (not a dry run; the leaver threshold still holds an import that suspends too many).
/// On Flex Consumption a blob trigger must use the Event Grid source; infra/modules/eventgrid.bicep subscribes this
/// function (its name is that module's <c>functionName</c>). A redelivered event starts a second import of the same
/// file, which finds nothing to change.
/// </summary>
public sealed class HrImportBlobTrigger(ImportService imports, ILogger<HrImportBlobTrigger> log)
{
    /// <summary>The function name the Event Grid subscription targets.</summary>
    public const string Name = "ImportHrExportBlob";

    /// <summary>Starts an import of the dropped file.</summary>
    [Function(Name)]
    public async Task RunAsync(
        [BlobTrigger("hris-imports/{cohortId}/{name}", Source = BlobTriggerSource.EventGrid, Connection = "HrImports")] Stream export,
        string cohortId,
        string name,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        var settings = new ImportSettings("blob", null, null, null, null, DryRun: false, Force: false, ImportSettings.DefaultLeaverThreshold);
        Result<ImportRecord> started = await imports.StartCsvAsync(cohortId, export, null, settings, client, cancellationToken);
        if (started.Value is { } import)
        {
            log.LogInformation("Import {ImportId} of cohort {CohortId} started from blob {Name}", import.ImportId, cohortId, name);
        }
        else
        {
            log.LogWarning("Blob {Name} for cohort {CohortId} was not imported: {Code} {Detail}", name, cohortId, started.Failure!.Code, started.Failure.Detail);
        }
    }
}
