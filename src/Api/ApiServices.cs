using Cohorts.Application.Cohorts;
using Cohorts.Application.Enrolment;
using Cohorts.Application.Learning;
using Cohorts.Application.Outcomes;
using Cohorts.Application.Reviews;
using Cohorts.Application.Webhooks;
using Cohorts.Connectors.Webhooks;
using Cohorts.Domain.Events;
using Cohorts.Connectors.Graph;
using Cohorts.Connectors.Mail;
using Cohorts.Connectors.Storage;
using Cohorts.Workflows.Activities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cohorts.Api;

/// <summary>What both hosts register: the connectors (each composes itself), the use cases with their options, and the handlers.</summary>
public static class ApiServices
{
    /// <summary>
    /// Registers them, reaching storage through <paramref name="storage"/> (resolved when first needed: the server
    /// may start Azurite before that). Settings are read and checked here or when the host starts, so a missing or
    /// half-set section stops the start with a message naming the key.
    /// </summary>
    public static IServiceCollection AddCohortsApi(this IServiceCollection services, IConfiguration configuration, Func<IServiceProvider, StorageOptions> storage)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        DurationSettings.Register();
        services.AddSingleton(TimeProvider.System);
        services.AddCohortsStorage(storage).AddCohortsGraph(configuration).AddCohortsMail(configuration);

        AddChecked<ImportOptions>(services, configuration, ImportOptions.Section, o =>
            o.MaxBytes <= 0 ? "MaxBytes must be more than 0"
            : o.MaxLines <= 1 ? "MaxLines must be more than 1 (a header and a row)"
            : o.ApplyWindow <= TimeSpan.Zero ? "ApplyWindow must be a positive duration"
            : null);
        AddChecked<DirectorySyncOptions>(services, configuration, DirectorySyncOptions.Section, o =>
            Schedule(o) ?? (o.ReconcileEvery <= TimeSpan.Zero ? "ReconcileEvery must be a positive duration" : null));
        AddChecked<DigestOptions>(services, configuration, DigestOptions.Section, o =>
            Schedule(o) ?? (o.Period <= TimeSpan.Zero ? "Period must be a positive duration" : null));
        AddChecked<Cohorts.Application.Access.RetentionOptions>(services, configuration, Cohorts.Application.Access.RetentionOptions.Section, o =>
            Schedule(o)
            ?? (o.ImportSources < TimeSpan.Zero ? "ImportSources must not be negative"
            : o.History < TimeSpan.Zero ? "History must not be negative"
            : o.PersonalDataAfterCompletion < TimeSpan.Zero ? "PersonalDataAfterCompletion must not be negative"
            : null));
        AddChecked<ReviewSweepOptions>(services, configuration, ReviewSweepOptions.Section, o =>
            Schedule(o) ?? (o.Settle < TimeSpan.Zero ? "Settle must not be negative" : null));
        AddChecked<Cohorts.Application.Practice.SandboxOptions>(services, configuration, Cohorts.Application.Practice.SandboxOptions.Section, o =>
            o.LinkLifetime <= TimeSpan.Zero || o.LinkLifetime > Cohorts.Application.Practice.SandboxOptions.MaxLinkLifetime
                ? "LinkLifetime must be a positive duration of at most P7D (the longest a user delegation key lives)"
            : o.RevokeAfter < TimeSpan.Zero ? "RevokeAfter must not be negative"
            : null);
        AddChecked<Cohorts.Workflows.Activities.CommunityOptions>(services, configuration, Cohorts.Workflows.Activities.CommunityOptions.Section, o =>
            o.PollInterval <= TimeSpan.Zero ? "PollInterval must be a positive duration (Graph asks for 30 s or more between polls)" : null);
        TimeSpan holdFor = configuration.GetValue<TimeSpan?>("Reports:HoldFor") ?? TimeSpan.Zero;
        services.AddSingleton(holdFor >= TimeSpan.Zero ? new ReportDelivery(holdFor) : throw new InvalidOperationException("Reports:HoldFor must not be negative."));

        AddChecked<WebhookOptions>(services, configuration, "Webhooks", o =>
            o.FirstRetry <= TimeSpan.Zero ? "FirstRetry must be a positive duration"
            : o.RetryFor <= TimeSpan.Zero ? "RetryFor must be a positive duration"
            : o.DispatchEvery <= TimeSpan.Zero ? "DispatchEvery must be a positive duration"
            : o.Timeout <= TimeSpan.Zero ? "Timeout must be a positive duration"
            : null);
        services.AddSingleton<IWebhookSender>(sp => new HttpWebhookSender(sp.GetRequiredService<WebhookOptions>(), sp.GetRequiredService<TimeProvider>()));

        services.AddSingleton<Cohorts.Workflows.WorkflowEvents>();
        services.AddSingleton<CohortAccess>();
        services.AddSingleton<RequestAudit>();
        services.AddSingleton<CohortService>();
        services.AddSingleton<Cohorts.Application.Access.AuditService>();
        services.AddSingleton<Cohorts.Application.Access.ErasureService>();
        services.AddSingleton<Cohorts.Application.Access.RetentionService>();
        services.AddSingleton<SubscriptionService>();
        services.AddSingleton<EventDispatcher>();
        services.AddSingleton<ImportService>();
        services.AddSingleton<RosterService>();
        services.AddSingleton<DirectorySyncService>();
        services.AddSingleton<ReviewService>();
        services.AddSingleton<DigestService>();
        services.AddSingleton<ReviewSweep>();
        services.AddSingleton<LmsService>();
        services.AddSingleton<XapiService>();
        services.AddSingleton<Cohorts.Application.Practice.SandboxService>();
        services.AddSingleton<OutcomeService>();

        services.AddSingleton<CohortEndpoints>();
        services.AddSingleton<AuditEndpoints>();
        services.AddSingleton<ErasureEndpoints>();
        services.AddSingleton<EnrolmentEndpoints>();
        services.AddSingleton<ReviewEndpoints>();
        services.AddSingleton<LmsEndpoints>();
        services.AddSingleton<XapiEndpoints>();
        services.AddSingleton<PracticeEndpoints>();
        services.AddSingleton<OutcomeEndpoints>();
        services.AddSingleton<SystemEndpoints>();
        services.AddSingleton<WebhookEndpoints>();
        return services;
    }

    private static string? Schedule(Application.ScheduleOptions schedule) =>
        schedule.Interval <= TimeSpan.Zero ? "Interval must be a positive duration" : null;

    /// <summary>Binds a section, checks it when the host starts (the message names the key at fault), and registers its value.</summary>
    private static void AddChecked<T>(IServiceCollection services, IConfiguration configuration, string section, Func<T, string?> problem)
        where T : class
    {
        services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new CheckedSection<T>(section, problem));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
    }

    /// <summary>The check of one section: its first problem, as <c>Section:Key …</c>.</summary>
    private sealed class CheckedSection<T>(string section, Func<T, string?> problem) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options) =>
            problem(options) is { } why ? ValidateOptionsResult.Fail($"{section}:{why}.") : ValidateOptionsResult.Success;
    }
}
