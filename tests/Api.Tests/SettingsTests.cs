using Cohorts.Application.Enrolment;
using Cohorts.Connectors.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cohorts.Api.Tests;

/// <summary>Settings that cannot be used stop the start with a message naming the key, before any request.</summary>
public class SettingsTests
{
    [Theory]
    [InlineData("Graph:BaseUrl", "graph.example.com", "Graph:BaseUrl")]
    [InlineData("Graph:Anonymous", "yes", "Graph:Anonymous")]
    [InlineData("VivaLearning:ProviderId", "provider-1", "VivaLearning:ContentBaseUrl")]
    [InlineData("Notifications:Sender", "not an address", "Notifications:Sender")]
    public void AHalfSetConnectorSection_FailsTheRegistration_NamingTheKey(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?> { [key] = value };
        if (key.StartsWith("Viva", StringComparison.Ordinal) || key.StartsWith("Notifications", StringComparison.Ordinal))
        {
            settings["Graph:BaseUrl"] = "http://127.0.0.1:9/v1.0"; // Graph itself configured
            settings["Graph:Anonymous"] = "true";
        }

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => Services(settings));

        Assert.StartsWith(named + " ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASenderWithoutGraph_FailsNamingWhatToSet()
    {
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => Services(new() { ["Notifications:Sender"] = "cohorts@example.com" }));

        Assert.Contains("Graph:ManagedIdentityClientId", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Imports:MaxBytes", "0", "Imports:MaxBytes")]
    [InlineData("Imports:ApplyWindow", "-00:00:01", "Imports:ApplyWindow")]
    [InlineData("DirectorySync:Interval", "00:00:00", "DirectorySync:Interval")]
    [InlineData("Digest:Period", "-1.00:00:00", "Digest:Period")]
    public void AnOutOfRangeSetting_FailsWhenTheHostStarts_NamingTheKey(string key, string value, string named)
    {
        using ServiceProvider services = Services(new() { [key] = value });

        // what ValidateOnStart does when the host starts
        OptionsValidationException error = Assert.Throws<OptionsValidationException>(() =>
        {
            _ = services.GetRequiredService<IOptions<ImportOptions>>().Value;
            _ = services.GetRequiredService<IOptions<DirectorySyncOptions>>().Value;
            _ = services.GetRequiredService<IOptions<Application.Reviews.DigestOptions>>().Value;
        });
        Assert.StartsWith(named + " ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoSettings_StartWithTheDefaults()
    {
        using ServiceProvider services = Services([]);

        Assert.Equal(256L * 1024 * 1024, services.GetRequiredService<ImportOptions>().MaxBytes);
        Assert.IsType<Cohorts.Connectors.Mail.UnconfiguredNotifier>(services.GetRequiredService<Cohorts.Domain.INotifier>());
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddCohortsApi(configuration, _ => new StorageOptions { ConnectionString = "UseDevelopmentStorage=true" }).BuildServiceProvider();
    }
}
