using Cohorts.Connectors.Graph;
using Cohorts.Domain;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cohorts.Connectors.Mail;

/// <summary>Where email goes (section <c>Notifications</c>): Graph sendMail from <see cref="Sender"/>'s mailbox in Azure.</summary>
public sealed record NotificationOptions(string? Sender)
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Notifications";

    /// <summary>Reads and checks the section: a sender is an email address, and sending through Graph needs Graph.</summary>
    public static NotificationOptions Read(IConfiguration configuration, GraphOptions graph)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(graph);
        IConfigurationSection section = configuration.GetSection(Section);
        string? sender = section["Sender"] is { Length: > 0 } s ? s.Trim() : null;
        if (sender is not null && !EmailAddresses.IsPlain(sender))
        {
            throw ConnectorSettings.Invalid(section, "Sender", $"'{sender}' is not an email address");
        }

        if (sender is not null && !graph.IsConfigured)
        {
            throw ConnectorSettings.Invalid(section, "Sender", "sends through Microsoft Graph: set Graph:ManagedIdentityClientId (or Graph:BaseUrl)");
        }

        return new NotificationOptions(sender);
    }
}

/// <summary>The email adapters, composed in one place.</summary>
public static class MailServices
{
    /// <summary>
    /// Registers Graph sendMail from <c>Notifications:Sender</c>, or a notifier that refuses to send when none is set.
    /// Call after <see cref="GraphServices.AddCohortsGraph"/>.
    /// </summary>
    public static IServiceCollection AddCohortsMail(this IServiceCollection services, IConfiguration configuration)
    {
        NotificationOptions options = NotificationOptions.Read(configuration, GraphOptions.Read(configuration));
        services.TryAddSingleton<INotifier>(sp =>
            sp.GetRequiredService<GraphClient>().Client is { } graph && options.Sender is { } sender
                ? new GraphMailNotifier(graph, sender)
                : new UnconfiguredNotifier());
        return services;
    }

    /// <summary>Sends email as .eml files into the folder <paramref name="outbox"/> names instead (the self-hosted server's outbox), whatever was registered before.</summary>
    public static IServiceCollection AddCohortsEmlOutbox(this IServiceCollection services, Func<IServiceProvider, (string Folder, string From)> outbox) =>
        services.Replace(ServiceDescriptor.Singleton<INotifier>(sp =>
        {
            (string folder, string from) = outbox(sp);
            return new EmlOutbox(folder, from, sp.GetRequiredService<TimeProvider>());
        }));
}
